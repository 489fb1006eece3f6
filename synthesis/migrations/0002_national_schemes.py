from django.db import migrations

# The methods and schemes named by the guide and the strategy (3.1.3 of the model).
NATIONAL = [
    "Compte personnel de formation (CPF)",
    "Congé de formation professionnelle",
    "Validation des acquis de l’expérience (VAE)",
    "Période d’immersion professionnelle",
    "Bilan de compétences",
    "Plan individuel de développement des compétences",
    "Formations en ligne (Mentor, FUN-MOOC…)",
    "Entretien de carrière",
    "Préparation aux concours et examens professionnels",
    "Tutorat, mentorat",
]


def add(apps, schema_editor):
    Scheme = apps.get_model("synthesis", "Scheme")
    Scheme.objects.bulk_create(
        [Scheme(name=name, position=10 * (i + 1)) for i, name in enumerate(NATIONAL)]
    )


def remove(apps, schema_editor):
    apps.get_model("synthesis", "Scheme").objects.filter(
        organisation__isnull=True, name__in=NATIONAL
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("synthesis", "0001_initial")]

    operations = [migrations.RunPython(add, remove)]
