import factory
from django.db.models.functions import Coalesce, Now
from django.utils import timezone

from cohorts.models import Cohort
from synthesis.models import FINALISING_PHASE, Capacity, Synthesis, empty_content
from tests.cohorts.factories import EnrolmentFactory

SAMPLE_CONTENT = {
    "sections": {
        "needs": "Évoluer vers un poste de chef de projet numérique.",
        "form": "Collectif, en présentiel.",
        "commitment": "Contrat signé lors de la première séance.",
        "career_analysis": "Douze ans en administration centrale, puis en service déconcentré.",
        "missions": "Gestion budgétaire, pilotage de marchés publics.",
        "knowledge": "Finances publiques, commande publique.",
        "know_how": "Piloter un projet, animer une réunion.",
        "soft_skills": "Autonomie, sens du service public.",
        "skills_to_acquire": "Méthodes agiles.",
        "conclusions": "Projet validé ; formation à suivre au premier semestre.",
    },
    "actions": [
        {
            "title": "Se former à la conduite de projet",
            "duration": "3 mois",
            "due_on": "2027-06-30",
            "steps": ["S’inscrire via le CPF", "Suivre la formation", "Mettre en pratique"],
        },
        {
            "title": "Immersion dans un service numérique",
            "duration": "2 semaines",
            "due_on": "2027-09-15",
            "steps": ["Trouver un service d’accueil", "Réaliser l’immersion"],
        },
    ],
    "schemes": ["Compte personnel de formation (CPF)", "Période d’immersion professionnelle"],
    "schemes_other": "Mentorat par un pair",
}


class SynthesisFactory(factory.django.DjangoModelFactory):
    """An empty draft synthesis of an enrolled agent.

    Traits: `written` (one version by the agent, with a personal situation),
    `finalised` (its cohort brought to phase 4 if it was not there), `signed` (both
    signatures, locked).
    """

    class Meta:
        model = Synthesis
        skip_postgeneration_save = True

    enrolment = factory.SubFactory(EnrolmentFactory)

    class Params:
        written = factory.Trait(
            _content=factory.PostGeneration(
                lambda obj, create, extracted, **kw: (
                    create
                    and obj.save_version(
                        by=obj.enrolment.agent.user,
                        based_on=0,
                        content=extracted or SAMPLE_CONTENT,
                        personal_situation="Situation familiale : deux enfants ; santé : RAS.",
                    )
                )
            )
        )
        finalised = factory.Trait(
            written=True,
            _finalise=factory.PostGeneration(
                lambda obj, create, extracted, **kw: create and finalise(obj)
            ),
        )
        signed = factory.Trait(
            finalised=True,
            _sign=factory.PostGeneration(
                lambda obj, create, extracted, **kw: create and sign_both(obj)
            ),
        )


def leader_of(synthesis: Synthesis):
    """A leader of the synthesis's cohort (one is added if it has none)."""
    from bpp.people.models import Role
    from tests.people.factories import RoleFactory

    cohort = synthesis.enrolment.cohort
    leader = cohort.leaders.first()
    if leader is None:
        leader = RoleFactory(role=Role.CMC, organisation=cohort.organisation).user
        cohort.leaders.add(leader)
    return leader


def in_phase_4(cohort) -> None:
    """Bring `cohort` to the conclusion phase, where its syntheses are finalised."""
    Cohort.objects.filter(pk=cohort.pk).update(
        current_phase=FINALISING_PHASE, started_at=Coalesce("started_at", Now())
    )
    cohort.refresh_from_db(fields=["current_phase", "started_at"])


def finalise(synthesis: Synthesis) -> None:
    in_phase_4(synthesis.enrolment.cohort)
    synthesis.finalise()


def sign_both(synthesis: Synthesis) -> None:
    now = timezone.now()
    synthesis.sign(by=synthesis.enrolment.agent.user, capacity=Capacity.AGENT, now=now)
    synthesis.sign(by=leader_of(synthesis), capacity=Capacity.LEADER, now=now)


__all__ = [
    "SAMPLE_CONTENT",
    "SynthesisFactory",
    "empty_content",
    "finalise",
    "in_phase_4",
    "leader_of",
    "sign_both",
]
