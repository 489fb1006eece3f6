"""The agent's requests and their history, for their data export (see bpp.people.export)."""

from django.db.models import Prefetch

from bpp.people.models import AgentProfile, User
from bpp.requests.models import RequestTransition, ReviewRequest


def _name(user: User | None) -> str | None:
    return user.get_full_name() if user else None


def requests_of(profile: AgentProfile) -> list[dict]:
    history = Prefetch("transitions", RequestTransition.objects.select_related("by"))
    requests = (
        ReviewRequest.objects.filter(agent=profile)
        .select_related("organisation", "proposed_by", "decided_by", "restructuring")
        .prefetch_related(history)
        .order_by("created_at", "pk")
    )
    return [
        {
            "employeur": r.organisation.name,
            "initiative": r.get_initiative_display(),
            "origine": r.get_origin_display(),
            "etat": r.state_label,
            "besoins_et_attentes": r.needs,
            "projet_professionnel_defini": r.has_defined_project,
            "modalite_souhaitee": r.get_preferred_mode_display(),
            "contraintes_de_disponibilite": r.availability_constraints,
            "souhaite_associer_le_referent_handicap": r.wants_disability_officer,
            "proposee_par": _name(r.proposed_by),
            "message_de_la_proposition": r.proposal_message,
            "creee_le": r.created_at,
            "recue_le": r.received_on,
            "date_limite_de_reponse": r.decision_deadline,
            "decidee_par": _name(r.decided_by),
            "decidee_le": r.decided_at,
            "motif_du_refus": r.refusal_reason,
            "motif_du_report": r.postponement_reason,
            "report_du": r.postponement_start,
            "report_au": r.postponement_end,
            "restructuration": str(r.restructuring) if r.restructuring else None,
            "historique": [
                {
                    "de": t.get_from_status_display() or None,
                    "vers": t.get_to_status_display(),
                    "par": _name(t.by),
                    "le": t.at,
                    "motif": t.reason,
                }
                for t in r.transitions.all()
            ],
        }
        for r in requests
    ]
