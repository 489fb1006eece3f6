"""
The demo syntheses: drafts being co-written, finalised ones awaiting a signature,
signed, shared and read, amended, destroyed, and those of the provider's cohorts (one
transmitted to an internal CMC). Run by `seed_demo` after the cohorts, which it
rebuilds, so the syntheses are rebuilt with them. Written through the model's own
methods: versions, digests and the encrypted 2.5 are the real ones.
"""

import datetime
import itertools

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from bpp.people.models import Role, User
from cohorts.models import Cohort, Enrolment
from synthesis.models import (
    AccessRecord,
    Audience,
    Basis,
    Capacity,
    Comment,
    Consent,
    Synthesis,
    grant,
    revoke,
)

PROJECTS = [
    ("Devenir cheffe de projet numérique", "Conduite de projet agile", "3 mois"),
    ("Rejoindre un service d’inspection des installations classées", "Formation ICPE", "6 mois"),
    ("Passer le concours d’attaché", "Préparation au concours", "9 mois"),
    ("Évoluer vers le contrôle de gestion", "Contrôle de gestion public", "4 mois"),
    ("Occuper un poste de chargé de communication", "Communication publique", "3 mois"),
    ("Prendre un premier poste d’encadrement", "Manager une équipe", "2 mois"),
    ("Rejoindre une direction départementale en Bretagne", "Immersion en DDTM", "2 semaines"),
    ("Se reconvertir dans la gestion des ressources humaines", "Gestion RH", "5 mois"),
]
PERSONAL = [
    "Aidant familial d’un parent dépendant : les déplacements longs sont difficiles.",
    "Temps partiel thérapeutique jusqu’en mars ; aménagement du poste à prévoir.",
    "Rapprochement de conjoint envisagé à Rennes.",
    "",
]


def content(index: int, depth: int) -> dict:
    """A synthesis filled up to `depth` (1: the launch only, 4: everything)."""
    goal, training, duration = PROJECTS[index % len(PROJECTS)]
    sections = {
        "needs": f"{goal}. Je souhaite vérifier que ce projet est réaliste et le préparer.",
        "form": "Collectif, en présentiel ; séances le mardi matin.",
        "commitment": "Contrat d’engagement et de confidentialité signé à la première séance.",
    }
    if depth >= 2:
        sections |= {
            "career_analysis": "Douze ans dans l’administration : gestion, puis pilotage de "
            "dossiers transversaux en service déconcentré.",
            "missions": "Instruction de dossiers, suivi budgétaire, animation de réunions.",
            "achievements": "Mise en place d’un tableau de bord partagé avec trois services.",
            "motivations": "Donner plus de sens à mon travail, apprendre, être utile au terrain.",
            "knowledge": "Réglementation environnementale, finances publiques.",
            "know_how": "Conduire un projet, rédiger une note de synthèse, animer un groupe.",
            "soft_skills": "Autonomie, écoute, sens de l’organisation.",
            "skills_to_acquire": f"{training} ; pratique de l’encadrement.",
        }
    if depth >= 3:
        sections |= {
            "steps_taken": "Entretien de carrière en 2025 ; deux candidatures internes.",
            "paths": f"{goal} ; à défaut, un poste de chargé de mission.",
            "oral_summary": "Présentation de mon parcours au groupe en cinq minutes.",
            "formative_jobs": "Le poste en service déconcentré, au contact des usagers.",
        }
    actions = []
    if depth >= 3:
        actions = [
            {
                "title": training,
                "duration": duration,
                "due_on": (timezone.localdate() + datetime.timedelta(days=120)).isoformat(),
                "steps": ["Choisir l’organisme", "Monter le dossier CPF", "Suivre la formation"],
            },
            {
                "title": "Période d’immersion dans le service visé",
                "duration": "2 semaines",
                "due_on": (timezone.localdate() + datetime.timedelta(days=200)).isoformat(),
                "steps": ["Identifier le service d’accueil", "Signer la convention"],
            },
        ]
    if depth >= 4:
        sections["conclusions"] = (
            "Projet validé à l’entretien final. Points de vigilance : calendrier de la "
            "formation ; point d’étape avec le CMC dans six mois."
        )
    return {
        "sections": sections,
        "actions": actions,
        "schemes": ["Compte personnel de formation (CPF)", "Période d’immersion professionnelle"]
        if actions
        else [],
        "schemes_other": "Mentorat par une cheffe de projet" if depth >= 4 else "",
        **({"orientation": "immersion"} if depth >= 4 else {}),
    }


class Command(BaseCommand):
    help = "Crée les documents de synthèse de démonstration (dans tous les états)."

    @transaction.atomic
    def handle(self, *args, **options):
        self.now = timezone.now()
        self.counter = itertools.count()
        cohorts = {c.title: c for c in Cohort.objects.prefetch_related("leaders")}
        # Every placed agent has a synthesis from the day of placement (bpp.pages.services).
        Synthesis.objects.open_for(Enrolment.objects.current())
        accounts = []
        for title, plan in PLANS.items():
            cohort = cohorts[title]
            enrolments = list(
                Enrolment.objects.current()
                .filter(cohort=cohort)
                .select_related("agent__user", "agent__manager", "cohort")
                .order_by("placed_at", "pk")
            )
            for enrolment, state in zip(enrolments, plan, strict=False):
                getattr(self, state)(Synthesis.objects.get(enrolment=enrolment))
                accounts.append((state, cohort.title, enrolment.agent.user.email))
        self.stdout.write(f"{len(accounts)} documents de synthèse de démonstration :")
        for state, title, email in accounts:
            self.stdout.write(f"  {email:45} {LABELS[state]:28} {title}")

    # Writing ------------------------------------------------------------------

    def leader(self, synthesis: Synthesis) -> User:
        cohort = synthesis.enrolment.cohort
        return cohort.leaders.all()[0]

    def write(self, synthesis: Synthesis, depth: int, *, days_ago: int = 20) -> None:
        """Co-writing: the agent drafts, the leader adds, the agent completes."""
        index = next(self.counter)
        agent, leader = synthesis.enrolment.agent.user, self.leader(synthesis)
        personal = PERSONAL[index % len(PERSONAL)]
        authors = [agent, leader, agent][: max(1, depth - 1)]
        for step, author in enumerate(authors, start=1):
            synthesis.save_version(
                by=author,
                based_on=synthesis.version,
                content=content(index, min(depth, step + 1)),
                personal_situation=personal,
                now=self.now - datetime.timedelta(days=days_ago - 3 * step),
            )
        if depth >= 2:
            Comment.objects.create(
                synthesis=synthesis,
                section="skills_to_acquire",
                author=leader,
                created_at=self.now - datetime.timedelta(days=days_ago - 4),
                text="Pensez à relier ces compétences au poste visé : que demande la fiche ?",
            )

    def sign(self, synthesis: Synthesis, *, leader_too: bool = True, days_ago: int = 5) -> None:
        at = self.now - datetime.timedelta(days=days_ago)
        synthesis.finalise(now=at)
        synthesis.sign(by=synthesis.enrolment.agent.user, capacity=Capacity.AGENT, now=at)
        if leader_too:
            synthesis.sign(
                by=self.leader(synthesis),
                capacity=Capacity.LEADER,
                now=at + datetime.timedelta(days=1),
            )

    def read(self, synthesis: Synthesis, reader: User, basis: str, days_ago: int) -> None:
        AccessRecord.objects.create(
            synthesis=synthesis,
            reader=reader,
            basis=basis,
            consent=Consent.objects.live().filter(synthesis=synthesis, audience=basis).first(),
            format=AccessRecord.Format.PDF if days_ago % 2 else AccessRecord.Format.PAGE,
            read_at=self.now - datetime.timedelta(days=days_ago),
        )

    # The states ---------------------------------------------------------------

    def empty(self, synthesis: Synthesis) -> None:
        pass

    def started(self, synthesis: Synthesis) -> None:
        self.write(synthesis, 1)

    def drafted(self, synthesis: Synthesis) -> None:
        self.write(synthesis, 2)

    def advanced(self, synthesis: Synthesis) -> None:
        self.write(synthesis, 3)

    def awaiting_agent(self, synthesis: Synthesis) -> None:
        self.write(synthesis, 4)
        synthesis.finalise(now=self.now - datetime.timedelta(days=2))

    def awaiting_leader(self, synthesis: Synthesis) -> None:
        self.write(synthesis, 4)
        self.sign(synthesis, leader_too=False, days_ago=1)

    def signed(self, synthesis: Synthesis) -> None:
        self.write(synthesis, 4, days_ago=40)
        self.sign(synthesis, days_ago=20)

    def shared(self, synthesis: Synthesis) -> None:
        """Signed, shared with the manager and HR, read by both; the agent sees the log."""
        self.signed(synthesis)
        agent = synthesis.enrolment.agent
        grant(synthesis, Audience.MANAGER, now=self.now - datetime.timedelta(days=15))
        grant(synthesis, Audience.HR, now=self.now - datetime.timedelta(days=12))
        if agent.manager_id:
            self.read(synthesis, agent.manager, Basis.MANAGER, 14)
            self.read(synthesis, agent.manager, Basis.MANAGER, 3)
        hr = User.objects.filter(
            role_assignments__role=Role.HR, role_assignments__organisation=agent.organisation
        ).first()
        self.read(synthesis, hr, Basis.HR, 11)

    def revoked(self, synthesis: Synthesis) -> None:
        """Shared with the manager, read once, then the agent withdrew the consent."""
        self.signed(synthesis)
        manager = synthesis.enrolment.agent.manager
        grant(synthesis, Audience.MANAGER, now=self.now - datetime.timedelta(days=15))
        if manager is not None:
            self.read(synthesis, manager, Basis.MANAGER, 13)
        revoke(synthesis, Audience.MANAGER, now=self.now - datetime.timedelta(days=6))

    def amended(self, synthesis: Synthesis) -> None:
        """Signed, then reopened by the agent: a new version to sign again."""
        self.signed(synthesis)
        synthesis.reopen()
        index = next(self.counter)
        amended = content(index, 4)
        amended["sections"]["conclusions"] += " Avenant : la formation est reportée à l’automne."
        synthesis.save_version(
            by=synthesis.enrolment.agent.user,
            based_on=synthesis.version,
            content=amended,
            personal_situation=PERSONAL[index % len(PERSONAL)],
            now=self.now - datetime.timedelta(days=2),
        )

    def destroyed(self, synthesis: Synthesis) -> None:
        self.signed(synthesis)
        synthesis.destroy(now=self.now - datetime.timedelta(days=4))

    def transmitted(self, synthesis: Synthesis) -> None:
        """Provider-led: signed, then transmitted by the agent to an internal CMC."""
        self.signed(synthesis)
        cmc = User.objects.get(email__startswith="cmc.ines@")
        synthesis.decide_transmission(to=cmc, now=self.now - datetime.timedelta(days=3))

    def kept(self, synthesis: Synthesis) -> None:
        """Provider-led: signed, the agent chose to transmit it to nobody."""
        self.signed(synthesis)
        synthesis.decide_transmission(to=None, now=self.now - datetime.timedelta(days=2))


# For each cohort of the demo offer (seed_demo_cohorts), its agents' syntheses in order.
PLANS = {
    "Promotion d’automne — La Défense": [
        "advanced",
        "drafted",
        "drafted",
        "started",
        "advanced",
        "started",
        "empty",
    ],
    "Promotion d’été — Lyon": [
        "awaiting_leader",
        "awaiting_leader",
        "awaiting_agent",
        "signed",
        "signed",
        "advanced",
        "destroyed",
    ],
    "Promotion de printemps — La Défense": [
        "revoked",
        "shared",
        "amended",
        "signed",
        "shared",
        "destroyed",
        "signed",
        "awaiting_leader",
    ],
    "Parcours individuel — Brest": ["advanced"],
    "Promotion Cap Parcours — Marseille": ["drafted", "started", "started", "empty"],
    "Promotion Cap Parcours — Toulon": ["transmitted", "kept", "signed", "awaiting_leader"],
}
LABELS = {
    "empty": "ouverte, vide",
    "started": "brouillon (début)",
    "drafted": "brouillon",
    "advanced": "brouillon avancé",
    "awaiting_agent": "finalisée, à signer",
    "awaiting_leader": "signée par l’agent",
    "signed": "signée",
    "shared": "signée, partagée, lue",
    "revoked": "partage retiré",
    "amended": "avenant en cours",
    "destroyed": "détruite",
    "transmitted": "transmise à un CMC",
    "kept": "non transmise",
}
