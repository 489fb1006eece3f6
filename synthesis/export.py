"""The agent's syntheses for their data export (see bpp.people.export): what happened to
each (never its content, which is in its PDF), who may read it, who read it, and the PDF
of each one written and not destroyed, section 2.5 included: it is the agent's. A signed
one's PDF is the one kept at its signature (see synthesis.pdf). The follow-ups of its
action plan and the support interviews asked for come with their answers: the agent's
own words."""

from django.db.models import Prefetch

from bpp.people.models import AgentProfile, User
from synthesis.document import build
from synthesis.models import (
    AccessRecord,
    Consent,
    FollowUp,
    LeaderConsent,
    Signature,
    SupportRequest,
    Synthesis,
    SynthesisTransition,
    SynthesisVersion,
)
from synthesis.pdf import signed_pdf, synthesis_pdf


def _name(user: User | None) -> str | None:
    return user.get_full_name() if user else None


def syntheses_of(profile: AgentProfile) -> tuple[list[dict], list[tuple[str, bytes]]]:
    """The metadata of the agent's syntheses, and (file name, PDF) for each readable one."""
    syntheses = list(
        Synthesis.objects.filter(enrolment__agent=profile)
        .select_related("enrolment__cohort", "enrolment__agent__user", "transmitted_to", "key")
        .prefetch_related(
            Prefetch("versions", SynthesisVersion.objects.select_related("author")),
            Prefetch("versions__signatures", Signature.objects.select_related("signer")),
            Prefetch("consents", Consent.objects.select_related("recipient", "organisation")),
            Prefetch("leader_consents", LeaderConsent.objects.select_related("leader")),
            Prefetch("reads", AccessRecord.objects.select_related("reader")),
            Prefetch("transitions", SynthesisTransition.objects.select_related("by")),
            Prefetch("follow_ups", FollowUp.objects.order_by("months")),
            Prefetch(
                "support_requests",
                SupportRequest.objects.select_related("session").order_by("created_at", "pk"),
            ),
        )
        .order_by("created_at", "pk")
    )
    files = [(_filename(s), _pdf(s)) for s in syntheses if _has_pdf(s)]
    return [_metadata(s) for s in syntheses], files


def _pdf(synthesis: Synthesis) -> bytes:
    if synthesis.is_signed:
        return signed_pdf(synthesis, with_personal_situation=True)
    return synthesis_pdf(_document(synthesis))


def _has_pdf(synthesis: Synthesis) -> bool:
    return not synthesis.is_destroyed and synthesis.version > 0


def _filename(synthesis: Synthesis) -> str:
    return f"synthese-{synthesis.pk}-version-{synthesis.version}.pdf"


def _document(synthesis: Synthesis):
    version = next(v for v in synthesis.versions.all() if v.number == synthesis.version)
    signatures = sorted(version.signatures.all(), key=lambda s: s.signed_at)
    return build(synthesis, version, header={}, with_personal_situation=True, signatures=signatures)


def _metadata(synthesis: Synthesis) -> dict:
    return {
        "promotion": synthesis.enrolment.cohort.title,
        "etat": synthesis.get_status_display(),
        "ouverte_le": synthesis.created_at,
        "finalisee_le": synthesis.finalised_at,
        "signee_le": synthesis.signed_at,
        "detruite_le": synthesis.destroyed_at,
        "transmise_a": _name(synthesis.transmitted_to),
        "transmission_decidee_le": synthesis.transmission_decided_at,
        "fichier_pdf": _filename(synthesis) if _has_pdf(synthesis) else None,
        "versions": [
            {
                "version": v.number,
                "auteur": _name(v.author),
                "enregistree_le": v.created_at,
                "signatures": [
                    {
                        "signataire": _name(s.signer),
                        "en_qualite_de": s.get_capacity_display(),
                        "le": s.signed_at,
                        "empreinte_sha256": s.digest,
                    }
                    for s in v.signatures.all()
                ],
            }
            for v in sorted(synthesis.versions.all(), key=lambda v: v.number)
        ],
        "partages": [
            {
                "avec": c.get_audience_display(),
                "destinataire": _name(c.recipient) or (c.organisation and c.organisation.name),
                "accorde_le": c.granted_at,
                "retire_le": c.revoked_at,
            }
            for c in sorted(synthesis.consents.all(), key=lambda c: (c.granted_at, c.pk))
        ],
        "reponses_aux_nouveaux_animateurs": [
            {"animateur": _name(c.leader), "accepte": c.accepted, "le": c.answered_at}
            for c in sorted(synthesis.leader_consents.all(), key=lambda c: c.answered_at)
        ],
        "lectures": [
            {
                "lecteur": _name(r.reader),
                "a_quel_titre": r.get_basis_display(),
                "forme": r.get_format_display(),
                "le": r.read_at,
            }
            for r in sorted(synthesis.reads.all(), key=lambda r: (r.read_at, r.pk))
        ],
        "historique": [
            {"evenement": t.get_event_display(), "par": _name(t.by), "le": t.at}
            for t in synthesis.transitions.all()
        ],
        "suivis_du_plan_d_action": [
            {
                "echeance_en_mois": f.months,
                "envoye_le": f.sent_at,
                "repondu_le": f.answered_at,
                "partage_avec_l_animateur": f.shared_with_leader,
                "actions": [
                    {"action": a["title"], "etat": a["status_label"], "depuis_le": a["on"]}
                    for a in f.action_rows()
                ],
                "formation_commencee": f.training_started,
                "mobilite_realisee": f.mobility_achieved,
            }
            for f in synthesis.follow_ups.all()
        ],
        "demandes_d_entretien_d_appui": [
            {
                "demandee_le": r.created_at,
                "message": r.message,
                "etat": r.get_status_display(),
                "repondu_le": r.decided_at,
                "entretien_le": r.session.starts_at if r.session else None,
                "message_de_l_animateur": r.decline_message,
            }
            for r in synthesis.support_requests.all()
        ],
    }
