"""
Build (or bring back) the demo organisation: one ministry, its services, ~40 agents,
their managers, two CMCs, an HR service, an HR admin, a disability officer and a
provider. Running it again changes nothing but what a previous run left out, except
the review requests (and the cohorts built on them), which are rebuilt from the day it
runs: see `DemoRequests`.
"""

import datetime
import random
import unicodedata
import zlib

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from bpp.people.models import (
    AgentProfile,
    Civility,
    Organisation,
    Provider,
    ProviderContract,
    Role,
    RoleAssignment,
    Service,
    Training,
    User,
)
from bpp.requests import deadlines
from bpp.requests.models import (
    AWAITING_DECISION,
    Initiative,
    Mode,
    Origin,
    RequestTransition,
    ReviewRequest,
    Status,
)

DOMAIN = "ecologie.demo.gouv.fr"
AGENTS = 80

SERVICES = [
    "Bureau de la gestion des carrières",
    "Service du numérique",
    "Direction de l’eau et de la biodiversité",
    "Sous-direction des affaires juridiques",
    "Bureau de la logistique et de l’immobilier",
]

WORK_SITES = [("Puteaux", "92")] * 6 + [("Lyon", "69"), ("Marseille", "13")]

FIRST_NAMES = [
    "Camille",
    "Nathalie",
    "Julien",
    "Sophie",
    "Thomas",
    "Isabelle",
    "Nicolas",
    "Sandrine",
    "Sébastien",
    "Céline",
    "Laurent",
    "Aurélie",
    "Christophe",
    "Émilie",
    "Olivier",
    "Karine",
    "Mathieu",
    "Virginie",
    "Stéphane",
    "Hélène",
    "Antoine",
    "Claire",
    "Fabrice",
    "Delphine",
    "Yannick",
    "Martine",
    "Rachid",
    "Fatima",
    "Hugo",
    "Léa",
    "Pascal",
    "Brigitte",
    "Jérôme",
    "Valérie",
    "Mehdi",
    "Anne-Laure",
    "Franck",
    "Sylvie",
    "Guillaume",
    "Corinne",
]
# The demo's women, whose titles agree (« Conseillère mobilité-carrière »); "Camille" and
# "Yannick" stay without a civility, as a person may choose.
WOMEN = {
    "Nathalie",
    "Sophie",
    "Isabelle",
    "Sandrine",
    "Céline",
    "Aurélie",
    "Émilie",
    "Karine",
    "Virginie",
    "Hélène",
    "Claire",
    "Delphine",
    "Martine",
    "Fatima",
    "Léa",
    "Brigitte",
    "Valérie",
    "Anne-Laure",
    "Sylvie",
    "Corinne",
    "Inès",
    "Agnès",
    "Élodie",
}
MEN = {
    "Julien",
    "Thomas",
    "Nicolas",
    "Sébastien",
    "Laurent",
    "Christophe",
    "Olivier",
    "Mathieu",
    "Stéphane",
    "Antoine",
    "Fabrice",
    "Rachid",
    "Hugo",
    "Pascal",
    "Jérôme",
    "Mehdi",
    "Franck",
    "Guillaume",
    "Marc",
    "Paul",
}

LAST_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guérin",
    "Muller",
    "Henry",
    "Roussel",
    "Nicolas",
    "Perrin",
]
FUNCTIONS = {
    "A": [
        "Attaché d’administration",
        "Ingénieur des travaux publics de l’État",
        "Chargé de mission",
    ],
    "B": ["Secrétaire administratif", "Technicien supérieur du développement durable"],
    "C": ["Adjoint administratif", "Adjoint technique", "Agent d’accueil"],
}

# (e-mail local part, first name, last name, roles) of the named demo accounts.
STAFF = [
    ("rh.admin", "Hélène", "Vasseur", [Role.HR_ADMIN]),
    ("rh", "Marc", "Lemaire", [Role.HR]),
    ("cmc.ines", "Inès", "Benali", [Role.CMC]),
    ("cmc.paul", "Paul", "Marchand", [Role.CMC]),
    ("referent.handicap", "Agnès", "Colin", [Role.DISABILITY_OFFICER]),
]


class Command(BaseCommand):
    help = "Crée ou complète les données de démonstration (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        rng = random.Random(2026)
        self.password = make_password(settings.DEMO_PASSWORD)
        ministry, _ = Organisation.objects.get_or_create(
            name="Ministère de la Transition écologique",
            defaults={"kind": Organisation.Kind.MINISTRY, "versant": "etat"},
        )
        services = [
            Service.objects.get_or_create(organisation=ministry, name=name)[0] for name in SERVICES
        ]

        managers = []
        for index, service in enumerate(services):
            manager = self.person(
                f"manager{index + 1}", FIRST_NAMES[-1 - index], LAST_NAMES[-1 - index]
            )
            self.profile(manager, service, "A", rng, manager=None)
            RoleAssignment.objects.get_or_create(
                user=manager, role=Role.MANAGER, organisation=ministry
            )
            managers.append(manager)

        for local, first, last, roles in STAFF:
            user = self.person(local, first, last)
            # Internal staff are agents of the ministry too.
            self.profile(user, services[0], "A", rng, manager=managers[0])
            for role in roles:
                RoleAssignment.objects.get_or_create(user=user, role=role, organisation=ministry)

        provider, _ = Provider.objects.get_or_create(
            name="Cap Parcours Conseil", defaults={"siret": "81234567800021"}
        )
        # The ministry contracted it (no internal professional for the Marseille cohort).
        ProviderContract.objects.get_or_create(
            organisation=ministry,
            provider=provider,
            defaults={"reference": "2026-BPP-013", "starts_on": datetime.date(2026, 1, 1)},
        )
        consultant = self.person("consultante", "Élodie", "Prévost", domain="cap-parcours.demo.fr")
        RoleAssignment.objects.get_or_create(user=consultant, role=Role.PROVIDER, provider=provider)
        # Those who lead are trained in accompanying careers: their training is on record.
        for leader in User.objects.filter(
            role_assignments__role__in=[Role.CMC, Role.PROVIDER]
        ).distinct():
            Training.objects.get_or_create(
                user=leader,
                course="Accompagner les évolutions professionnelles (conseil mobilité-carrière)",
                defaults={"body": "IGPDE", "completed_on": datetime.date(2024, 6, 14)},
            )

        for index in range(AGENTS):
            first = FIRST_NAMES[index % len(FIRST_NAMES)]
            last = LAST_NAMES[(index + index // len(LAST_NAMES) * 13) % len(LAST_NAMES)]
            local = "agent" if index == 0 else f"{_ascii(first)}.{_ascii(last)}"
            user = self.person(local, first, last)
            service = services[index % len(services)]
            category = "C" if index % 3 == 0 else ("B" if index % 3 == 1 else "A")
            self.profile(
                user,
                service,
                category,
                rng,
                manager=managers[index % len(managers)],
                l5212=index in (0, 7, 19, 44, 61),
                wear=index in (3, 22, 47, 68),
                restructuring=index in (11, 26, 53),
            )

        DemoRequests(ministry, managers).build()
        # Then the offer, with the approved requests of the agents it seats, and the
        # syntheses of those agents: count the requests after them.
        call_command("seed_demo_cohorts", stdout=self.stdout)
        call_command("seed_demo_syntheses", stdout=self.stdout)
        count = ReviewRequest.objects.filter(organisation=ministry).count()

        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
        self.stdout.write(f"{count} demandes de bilan de démonstration, dans tous les états.")
        self.stdout.write(f"Mot de passe de tous les comptes : {settings.DEMO_PASSWORD}")
        for label, email in [
            ("Agent (public prioritaire)", f"agent@{DOMAIN}"),
            ("Manager", f"manager1@{DOMAIN}"),
            ("Service RH", f"rh@{DOMAIN}"),
            ("Conseillère mobilité-carrière", f"cmc.ines@{DOMAIN}"),
            ("Conseiller mobilité-carrière", f"cmc.paul@{DOMAIN}"),
            ("Prestataire", "consultante@cap-parcours.demo.fr"),
            ("Référente handicap", f"referent.handicap@{DOMAIN}"),
            ("Administratrice RH", f"rh.admin@{DOMAIN}"),
        ]:
            self.stdout.write(f"  {label:<32} {email}")

    def person(self, local: str, first: str, last: str, domain: str = DOMAIN) -> User:
        user, _ = User.objects.get_or_create(
            email=f"{local}@{domain}",
            defaults={"first_name": first, "last_name": last, "password": self.password},
        )
        civility = Civility.MADAME if first in WOMEN else Civility.MONSIEUR if first in MEN else ""
        if user.civility != civility:
            user.civility = civility
            user.save(update_fields=["civility"])
        return user

    def profile(
        self, user, service, category, rng, manager, l5212=False, wear=False, restructuring=False
    ) -> AgentProfile:
        start = datetime.date(2008, 1, 1) + datetime.timedelta(days=rng.randrange(0, 6000))
        # Most work at La Défense; some in the services of Lyon and Marseille.
        town, departement = WORK_SITES[zlib.crc32(user.email.encode()) % len(WORK_SITES)]
        profile, _ = AgentProfile.objects.get_or_create(
            user=user,
            defaults={
                "organisation": service.organisation,
                "service": service,
                "status": "contractuel" if rng.random() < 0.2 else "titulaire",
                "category": category,
                "function_title": rng.choice(FUNCTIONS[category]),
                "post_start_date": start,
                "manager": manager,
                "holds_level4_diploma": category != "C" or rng.random() < 0.5,
                "covered_by_l5212_13": l5212,
                "exposed_to_professional_wear": wear,
                "job_cut_by_restructuring": restructuring,
                "work_town": town,
                "work_departement": departement,
            },
        )
        return profile


def _ascii(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return plain.lower().replace(" ", "-").replace("’", "")


class DemoRequests:
    """Requests in every state, dated from the day the command runs so that deadlines
    are always current.

    Idempotence: they are deleted and rebuilt on every run rather than skipped when some
    exist (their history and the cohorts' seats go with them, by cascade). A demo started
    weeks later thus still shows a request on its last day, one just past it, and so on;
    skipping would leave last month's "last day" implicitly rejected, and whatever the
    previous demo clicked through would stay. Rows are written directly, without the
    model's methods (which date everything now and queue e-mails): nothing is queued.
    """

    def __init__(self, ministry, managers):
        self.ministry, self.managers = ministry, managers
        # Its own generator: the requests do not depend on how many people were drawn.
        self.rng = random.Random(2026)
        self.now = timezone.now()
        self.today = deadlines.legal_today(self.now)
        self.hr = User.objects.get(email=f"rh@{DOMAIN}")

    def build(self) -> None:
        ReviewRequest.objects.filter(organisation=self.ministry).delete()
        manager = self.managers[0]
        team = {
            p.user.email.split("@")[0]: p
            for p in AgentProfile.objects.filter(manager=manager).select_related("user")
        }
        camille = team.pop("agent")
        named = [team.pop(k) for k in ("cmc.paul", "referent.handicap", "rh.admin")]
        others = sorted(team.values(), key=lambda p: p.user.email)
        others = [p for p in others if p.user.email.split("@")[0] not in ("rh", "cmc.ines")]
        t = iter(others + named)

        # Manager 1's desk: every state, some close to their deadline.
        self.pending(next(t), deadline=self.today, needs="Préparer une reconversion.")
        self.pending(next(t), deadline=self.day(2))
        self.pending(next(t), deadline=self.day(14))
        self.pending(next(t), received=self.today, needs="Faire le point après dix ans.")
        self.pending(next(t), deadline=self.day(-3))  # reads as implicitly rejected
        postponing = next(t)
        self.postponement(postponing, agreed=False)
        self.postponement(next(t), agreed=True)
        approved = next(t)
        self.closed(approved, Status.IMPLICITLY_REJECTED, months_ago=8)
        self.approved(approved, days_ago=12)
        self.proposal(next(t), manager)
        self.closed(postponing, Status.WITHDRAWN, months_ago=14)
        # The demo agent may ask: only a refusal, long ago, in "Mes demandes précédentes".
        self.closed(camille, Status.REFUSED, months_ago=10)
        self.closed(others[0], Status.DECLINED, months_ago=6, proposer=manager)

        # Approved requests across teams, waiting for a seat (priority publics first,
        # one of them covered by L5212-13 for the disability officer).
        for profile in AgentProfile.objects.filter(
            organisation=self.ministry, manager__in=self.managers[1:]
        ).order_by("pk")[:9]:
            self.approved(profile, days_ago=self.rng.randrange(3, 60))

    # Dates -----------------------------------------------------------------------

    def day(self, offset: int) -> datetime.date:
        return self.today + datetime.timedelta(days=offset)

    def received_for(self, deadline: datetime.date) -> datetime.date:
        """A receipt date whose deadline is `deadline`, or the nearest one after it.

        Some days are nobody's deadline: nothing received in November ends on 31 January.
        """
        candidates = [deadline - datetime.timedelta(days=back) for back in range(55, 66)]
        return min(
            (r for r in candidates if deadlines.decision_deadline(r) >= deadline),
            key=deadlines.decision_deadline,
        )

    def at(self, day: datetime.date, hour: int = 10) -> datetime.datetime:
        """`hour` o'clock in Paris on `day`, or now if that is later: nothing is in the future."""
        moment = datetime.datetime.combine(
            day, datetime.time(hour), tzinfo=deadlines.LEGAL_TIME_ZONE
        )
        return min(moment, self.now)

    def last_reminder(self, status: str, received: datetime.date | None) -> int | None:
        """The step of the last reminder the daily job has sent by today, if any."""
        if status not in AWAITING_DECISION:
            return None
        left = deadlines.days_left(deadlines.decision_deadline(received), self.today)
        return min((s for s in settings.REQUEST_REMINDER_DAYS if s >= left), default=None)

    # Requests --------------------------------------------------------------------

    def create(self, profile, status, received, history, **fields) -> ReviewRequest:
        """A request and its history: (status, by, at, reason) from its creation on."""
        answered = received is not None  # the agent filled in the form
        initiative = fields.pop("initiative", Initiative.AGENT)
        # Varied without drawing from the generator, so that the rest of the demo stays.
        agent_origins = [value for value, _ in Origin.agent_choices()]
        review_request = ReviewRequest.objects.create(
            agent=profile,
            organisation=profile.organisation,
            initiative=initiative,
            origin=Origin.RESTRUCTURING
            if fields.get("restructuring") is not None
            else Origin.EMPLOYER_PROPOSAL
            if initiative == Initiative.EMPLOYER
            else agent_origins[profile.pk % len(agent_origins)],
            status=status,
            needs=fields.pop("needs", "Faire le point sur mon parcours et préparer la suite."),
            preferred_mode=self.rng.choice([v for v, _ in Mode.preference_choices()])
            if answered
            else Mode.ANY,
            wants_disability_officer=answered and profile.covered_by_l5212_13,
            created_at=history[0][2],
            received_on=received,
            decision_deadline=deadlines.decision_deadline(received) if received else None,
            reminded_days_before=self.last_reminder(status, received),
            is_priority=profile.is_priority or fields.get("restructuring") is not None,
            **fields,
        )
        statuses = ["", *(step[0] for step in history)]
        RequestTransition.objects.bulk_create(
            RequestTransition(
                request=review_request,
                from_status=previous,
                to_status=to_status,
                by=by,
                at=when,
                reason=reason,
            )
            for previous, (to_status, by, when, reason) in zip(statuses, history, strict=False)
        )
        return review_request

    def pending(self, profile, deadline=None, received=None, needs=None):
        received = received or self.received_for(deadline)
        extra = {"needs": needs} if needs else {}
        return self.create(
            profile,
            Status.PENDING,
            received,
            [(Status.PENDING, profile.user, self.at(received, 9), "")],
            **extra,
        )

    def approved(self, profile, days_ago: int):
        received = self.day(-days_ago - 20)
        decided = self.at(self.day(-days_ago))
        return self.create(
            profile,
            Status.APPROVED,
            received,
            [
                (Status.PENDING, profile.user, self.at(received, 9), ""),
                (Status.APPROVED, profile.manager, decided, ""),
            ],
            decided_by=profile.manager,
            decided_at=decided,
        )

    def postponement(self, profile, agreed: bool):
        received = self.day(-25)
        asked = self.at(self.day(-20))
        reason = "Clôture de la campagne budgétaire : l’agent est indispensable jusqu’en mars."
        history = [
            (Status.PENDING, profile.user, self.at(received, 9), ""),
            (Status.POSTPONEMENT_REQUESTED, profile.manager, asked, reason),
        ]
        fields = {
            "postponement_reason": reason,
            "postponement_start": self.day(60),
            "postponement_end": self.day(120),
        }
        if agreed:
            history.append((Status.POSTPONED, self.hr, self.at(self.day(-18)), ""))
            fields |= {"decided_by": self.hr, "decided_at": self.at(self.day(-18))}
        status = Status.POSTPONED if agreed else Status.POSTPONEMENT_REQUESTED
        return self.create(profile, status, received, history, **fields)

    def proposal(self, profile, proposer):
        return self.create(
            profile,
            Status.PROPOSED,
            None,
            [(Status.PROPOSED, proposer, self.at(self.day(-4)), "")],
            initiative=Initiative.EMPLOYER,
            proposed_by=proposer,
            proposal_message="Votre poste évolue avec la réorganisation du service : "
            "un bilan de parcours vous aiderait à choisir la suite.",
            needs="",
        )

    def closed(self, profile, status, months_ago: int, proposer=None):
        received = deadlines.add_months(self.today, -months_ago)
        start = (Status.PENDING, profile.user, self.at(received, 9), "")
        if status == Status.REFUSED:
            reason = "Le service est en sous-effectif pendant la réorganisation."
            history = [
                start,
                (status, profile.manager, self.at(received + datetime.timedelta(12)), reason),
            ]
            return self.create(
                profile,
                status,
                received,
                history,
                refusal_reason=reason,
                decided_by=profile.manager,
                decided_at=history[-1][2],
            )
        if status == Status.WITHDRAWN:
            history = [start, (status, profile.user, self.at(received + datetime.timedelta(5)), "")]
            return self.create(profile, status, received, history)
        if status == Status.DECLINED:
            history = [
                (Status.PROPOSED, proposer, self.at(received), ""),
                (
                    status,
                    profile.user,
                    self.at(received + datetime.timedelta(3)),
                    "Pas pour l’instant.",
                ),
            ]
            return self.create(
                profile,
                status,
                None,
                history,
                initiative=Initiative.EMPLOYER,
                proposed_by=proposer,
                proposal_message="Un bilan de parcours vous intéresserait-il ?",
                needs="",
            )
        # Implicitly rejected, and recorded by the nightly job the day after the deadline.
        deadline = deadlines.decision_deadline(received)
        history = [start, (status, None, self.at(deadline + datetime.timedelta(1), 0), "")]
        return self.create(profile, status, received, history)
