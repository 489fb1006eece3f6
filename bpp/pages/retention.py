"""
The daily purge of personal data whose retention period is over (RGPD), across apps.

Each app writes its own rule (`bpp/requests/retention.py`, `cohorts/retention.py`,
`synthesis/retention.py`, on the calendar of `bpp/people/retention.py`); this runs them
in the order their relations need: the syntheses first (their agents told a month
before), then the cohorts, which keep the enrolments of the syntheses still kept, then
the closed requests, then the finished tasks and the imports of agents (an
abandoned preview's file after a day). Idempotent: a second run finds nothing.
"""

import datetime

from django.utils import timezone

from bpp import mailer
from bpp.people import retention
from bpp.people.imports.runs import purge_imports
from bpp.requests.retention import purge_closed_requests
from cohorts.retention import purge_cohorts, purge_questionnaires
from synthesis import retention as synthesis_retention


def purge_expired_data(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Tell the agents whose synthesis goes in a month, delete what expired today;
    return how many of each kind."""
    now = now or timezone.now()
    on = retention.today(now)
    counts = {"avis de suppression envoyés": synthesis_retention.send_deletion_notices(now=now)}
    counts["synthèses"] = synthesis_retention.purge_syntheses(on=on)
    counts["lectures de synthèses"] = synthesis_retention.purge_read_logs(on=on)
    cohorts = purge_cohorts(
        on=on, keep_enrolments=synthesis_retention.kept_syntheses().values("enrolment")
    )
    counts["séances (et émargements)"] = cohorts["sessions"]
    counts["réponses aux exercices"] = cohorts["answers"]
    counts["inscriptions"] = cohorts["enrolments"]
    counts["demandes des promotions terminées"] = cohorts["requests"]
    counts["promotions"] = cohorts["cohorts"]
    counts["questionnaires"] = purge_questionnaires(on=on)
    counts["demandes closes"] = purge_closed_requests(on=on)
    finished_before = retention.expired_before(on, "finished_tasks")
    counts["tâches terminées (courriels)"] = mailer.purge_finished_tasks(before=finished_before)
    counts["notifications"] = mailer.purge_notifications(
        before=retention.expired_before(on, "notifications")
    )
    counts["imports d’agents"] = purge_imports(now=now, finished_before=finished_before)
    return counts
