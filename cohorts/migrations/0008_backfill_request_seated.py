from django.db import migrations
from django.db.models import Exists, OuterRef


def mark_seated(apps, schema_editor):
    """A request is seated while its agent holds a current enrolment for it."""
    ReviewRequest = apps.get_model("requests", "ReviewRequest")
    Enrolment = apps.get_model("cohorts", "Enrolment")
    current = Enrolment.objects.filter(request=OuterRef("pk"), withdrawn_at__isnull=True)
    ReviewRequest.objects.filter(Exists(current)).update(seated=True)


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0007_session_kinds_webinar_restitution_support"),
        ("requests", "0005_seated"),
    ]

    operations = [migrations.RunPython(mark_seated, migrations.RunPython.noop)]
