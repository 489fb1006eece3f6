from django.conf import settings
from django.db import migrations, models
from django.db.models import Exists, OuterRef, Q


def store_priority(apps, schema_editor):
    """Store for every request the priority its queue order computed until now: de droit,
    or an agent of a priority public (`bpp.requests.models.priority_q`)."""
    AgentProfile = apps.get_model("people", "AgentProfile")
    ReviewRequest = apps.get_model("requests", "ReviewRequest")
    grounds = AgentProfile.objects.filter(
        Q(category="C", holds_level4_diploma=False)
        | Q(covered_by_l5212_13=True)
        | Q(exposed_to_professional_wear=True),
        pk=OuterRef("agent_id"),
    )
    ReviewRequest.objects.update(is_priority=Q(restructuring__isnull=False) | Q(Exists(grounds)))


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0005_civility"),
        ("requests", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="reviewrequest",
            name="is_priority",
            field=models.BooleanField(default=False, verbose_name="public prioritaire"),
        ),
        migrations.RunPython(store_priority, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="reviewrequest",
            index=models.Index(
                fields=["organisation", "received_on"], name="request_org_received"
            ),
        ),
        migrations.AddIndex(
            model_name="reviewrequest",
            index=models.Index(
                condition=models.Q(("status__in", ["acceptee", "reportee"])),
                fields=["-is_priority", "decided_at", "id"],
                name="request_waiting_queue",
            ),
        ),
        migrations.AddIndex(
            model_name="reviewrequest",
            index=models.Index(
                condition=models.Q(("status__in", ["acceptee", "reportee"])),
                fields=["-decided_at", "-id"],
                name="request_approved_recent",
            ),
        ),
    ]
