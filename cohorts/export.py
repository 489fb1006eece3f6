"""The agent's enrolments, attendance, contract signatures and questionnaires, for their
data export (see bpp.people.export)."""

from django.db.models import Prefetch

from bpp.people.models import AgentProfile
from cohorts.models import STATEMENTS, Attendance, Enrolment, Evaluation, Session


def enrolments_of(profile: AgentProfile) -> list[dict]:
    enrolments = (
        Enrolment.objects.filter(agent=profile)
        .select_related("cohort__organisation", "cohort__provider", "placed_by")
        .prefetch_related(
            Prefetch("sessions", Session.objects.order_by("starts_at", "pk")),
            Prefetch("attendances", Attendance.objects.select_related("session")),
            Prefetch("evaluations", Evaluation.objects.order_by("sent_at", "pk")),
            "cohort__leaders",
        )
        .order_by("placed_at", "pk")
    )
    return [_enrolment(e) for e in enrolments]


def _enrolment(enrolment: Enrolment) -> dict:
    cohort = enrolment.cohort
    attended = {a.session_id: a.get_status_display() for a in enrolment.attendances.all()}
    return {
        "promotion": cohort.title,
        "employeur": cohort.organisation.name,
        "prestataire": cohort.provider.name if cohort.provider else None,
        "animateurs": sorted(leader.get_full_name() for leader in cohort.leaders.all()),
        "place_le": enrolment.placed_at,
        "place_par": enrolment.placed_by.get_full_name(),
        "retire_le": enrolment.withdrawn_at,
        "motif_du_retrait": enrolment.withdrawal_reason,
        "contrat_signe_le": enrolment.contract_signed_at,
        "version_du_contrat_signe": enrolment.contract_version or None,
        "seances": [
            {
                "intitule": s.title,
                "type": s.get_kind_display(),
                "debut": s.starts_at,
                "duree_minutes": s.duration_minutes,
                "annulee_le": s.cancelled_at,
                "presence": attended.get(s.pk),
            }
            for s in enrolment.sessions.all()
        ],
        "questionnaires": [_evaluation(e) for e in enrolment.evaluations.all()],
    }


def _evaluation(evaluation: Evaluation) -> dict:
    answers = {
        statement: getattr(evaluation, f"get_{key}_display")()
        if getattr(evaluation, key) is not None
        else None
        for key, statement in STATEMENTS.items()
    }
    return {
        "questionnaire": evaluation.get_kind_display(),
        "envoye_le": evaluation.sent_at,
        "repondu_le": evaluation.answered_at,
        "note_globale": evaluation.overall_score,
        "reponses": answers,
        "remarques": evaluation.comment,
    }
