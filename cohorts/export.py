"""The agent's enrolments, attendance, contract signatures, questionnaires, programme
messages received and workbook answers, for their data export (see bpp.people.export)."""

from django.db.models import Prefetch

from bpp.people.models import AgentProfile
from cohorts.models import (
    STATEMENTS,
    Attendance,
    Enrolment,
    Evaluation,
    ExerciseAnswer,
    ProgrammeDelivery,
    Session,
)


def enrolments_of(profile: AgentProfile) -> list[dict]:
    enrolments = (
        Enrolment.objects.filter(agent=profile)
        .select_related("cohort__organisation", "cohort__provider", "placed_by")
        .prefetch_related(
            Prefetch("sessions", Session.objects.order_by("starts_at", "pk")),
            Prefetch("attendances", Attendance.objects.select_related("session")),
            Prefetch("evaluations", Evaluation.objects.order_by("sent_at", "pk")),
            Prefetch(
                "programme_deliveries",
                ProgrammeDelivery.objects.select_related("item").order_by("sent_at", "pk"),
            ),
            Prefetch(
                "exercise_answers",
                ExerciseAnswer.objects.select_related("item").order_by("updated_at", "pk"),
            ),
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
        "recoit_les_messages_du_programme": enrolment.programme_messages,
        "messages_du_programme_recus": [
            {"titre": d.item.title, "envoye_le": d.sent_at}
            for d in enrolment.programme_deliveries.all()
        ],
        "reponses_aux_exercices": [
            {
                "exercice": a.item.title,
                "reponse": a.text,
                "modifiee_le": a.updated_at,
                "montree_a_l_animateur_le": a.shown_to_leader_at,
            }
            for a in enrolment.exercise_answers.all()
        ],
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
