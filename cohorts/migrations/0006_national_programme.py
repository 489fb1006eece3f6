"""The national default programme, written from the guide (phase 2 questions, the
restitution of phase 3) and the strategy (« un programme de mails réguliers »)."""

from django.db import migrations

# (phase, anchor, offset in days, kind, title, body, essential, synthesis section)
NATIONAL = [
    (
        1,
        "debut_phase",
        0,
        "message",
        "Bienvenue dans votre bilan de parcours professionnel",
        "Votre bilan de parcours commence. Il se déroule en quatre phases : le lancement, "
        "l’analyse de votre parcours, la réalisation d’un plan d’action, puis la conclusion.\n\n"
        "Pendant le lancement, vous lirez et signerez le contrat d’engagement et de "
        "confidentialité : la phase d’analyse vous est ouverte une fois ce contrat signé.\n\n"
        "Entre les séances collectives, vous recevrez quelques messages et exercices. Vos "
        "réponses restent à vous : vous choisissez celles que vous montrez à l’animateur.",
        True,
        "",
    ),
    (
        2,
        "debut_phase",
        0,
        "message",
        "Des formations en ligne pour préparer votre analyse",
        "La phase d’appui à l’analyse de votre parcours commence. Pour la préparer, vous "
        "pouvez suivre sur Mentor les formations « Agir pour son projet de mobilité "
        "professionnelle » et « La démarche réseau – Développer son réseau pour réussir son "
        "projet professionnel ».",
        False,
        "",
    ),
    (
        2,
        "premiere_seance",
        2,
        "exercice",
        "Le sens de mon métier",
        "Prenez un moment pour vous poser ces questions, et notez ce qui vous vient :\n\n"
        "Quel est le sens que je donne à mon métier ?\n"
        "Quelles sont mes motivations professionnelles ?\n"
        "Quelles sont mes valeurs professionnelles ?",
        False,
        "motivations",
    ),
    (
        2,
        "premiere_seance",
        7,
        "exercice",
        "Les expériences clés de mon parcours",
        "Retracez votre parcours et choisissez trois expériences qui ont compté.\n\n"
        "Quelles sont les expériences clefs de mon parcours ?\n"
        "Comment valoriser ces expériences professionnelles ?",
        False,
        "achievements",
    ),
    (
        2,
        "premiere_seance",
        14,
        "exercice",
        "Mes compétences",
        "Dressez la liste de vos compétences, avec un exemple concret pour chacune.\n\n"
        "Quelles sont mes compétences acquises ? À mobiliser ? À acquérir ?\n"
        "Comment valoriser mes compétences ?",
        False,
        "skills_to_acquire",
    ),
    (
        2,
        "premiere_seance",
        21,
        "exercice",
        "Présenter mon parcours à l’oral",
        "Préparez en quelques lignes la présentation de votre parcours que vous ferez au "
        "groupe : ce que vous avez fait, ce que vous en retenez, ce qui vous anime.\n\n"
        "Comment valoriser mon parcours professionnel ?",
        False,
        "oral_summary",
    ),
    (
        3,
        "debut_phase",
        3,
        "exercice",
        "Mon avenir professionnel",
        "Comment j’envisage mon avenir professionnel ? À court terme ? Dans 5 ans ? Dans "
        "10 ans ?\n"
        "Quels sont mes objectifs professionnels ?\n\n"
        "Notez les pistes d’évolution qui vous paraissent souhaitables, réalistes et "
        "réalisables.",
        False,
        "paths",
    ),
    (
        3,
        "debut_phase",
        14,
        "exercice",
        "Préparer ma restitution au groupe",
        "Votre plan d’action prend forme. Préparez sa restitution au groupe : vos objectifs, "
        "les étapes pour les atteindre, et les éléments de suivi qui vous diront si chaque "
        "objectif est atteint.",
        False,
        "",
    ),
    (
        4,
        "debut_phase",
        0,
        "message",
        "Votre entretien final et votre document de synthèse",
        "La phase de conclusion commence. Lors de l’entretien individuel final, vous "
        "relirez avec l’animateur votre document de synthèse avant de le finaliser et de "
        "le signer.\n\n"
        "Ce document vous appartient : il permet un suivi de votre projet, et rien n’en "
        "est transmis sans votre accord.",
        False,
        "",
    ),
]


def seed(apps, schema_editor):
    ProgrammeItem = apps.get_model("cohorts", "ProgrammeItem")
    ProgrammeItem.objects.bulk_create(
        ProgrammeItem(
            phase=phase,
            anchor=anchor,
            offset_days=offset,
            kind=kind,
            title=title,
            body=body,
            essential=essential,
            section=section,
        )
        for phase, anchor, offset, kind, title, body, essential, section in NATIONAL
    )


def unseed(apps, schema_editor):
    ProgrammeItem = apps.get_model("cohorts", "ProgrammeItem")
    ProgrammeItem.objects.filter(organisation__isnull=True, cohort__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("cohorts", "0005_programme_and_workbook")]

    operations = [migrations.RunPython(seed, unseed)]
