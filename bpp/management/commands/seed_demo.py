"""
Build (or bring back) the demo organisation: one ministry, its services, ~40 agents,
their managers, two CMCs, an HR service, an HR admin, a disability officer and a
provider. Running it again changes nothing but what a previous run left out.
"""

import datetime
import random
import unicodedata

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction

from bpp.models import AgentProfile, Organisation, Provider, Role, RoleAssignment, Service, User

DOMAIN = "ecologie.demo.gouv.fr"

SERVICES = [
    "Bureau de la gestion des carrières",
    "Service du numérique",
    "Direction de l’eau et de la biodiversité",
    "Sous-direction des affaires juridiques",
    "Bureau de la logistique et de l’immobilier",
]

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
        consultant = self.person("consultante", "Élodie", "Prévost", domain="cap-parcours.demo.fr")
        RoleAssignment.objects.get_or_create(user=consultant, role=Role.PROVIDER, provider=provider)

        for index in range(35):
            first, last = FIRST_NAMES[index], LAST_NAMES[index]
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
                l5212=index in (0, 7, 19),
                wear=index in (3, 22),
                restructuring=index in (11, 26),
            )

        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
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
        return user

    def profile(
        self, user, service, category, rng, manager, l5212=False, wear=False, restructuring=False
    ) -> AgentProfile:
        start = datetime.date(2008, 1, 1) + datetime.timedelta(days=rng.randrange(0, 6000))
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
            },
        )
        return profile


def _ascii(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return plain.lower().replace(" ", "-").replace("’", "")
