import datetime

import factory
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from bpp import deadlines
from bpp.models import (
    AgentProfile,
    Initiative,
    Organisation,
    Provider,
    ReviewRequest,
    Role,
    RoleAssignment,
    Service,
    Status,
    User,
)

# Hashing once keeps factories fast; every test user signs in with DEMO_PASSWORD.
_PASSWORD_HASH = make_password(settings.DEMO_PASSWORD)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Ministère numéro {n}")
    kind = Organisation.Kind.MINISTRY
    versant = "etat"


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Bureau {n}")


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    name = factory.Sequence(lambda n: f"Cabinet Conseil {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.gouv.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = _PASSWORD_HASH


class AgentFactory(factory.django.DjangoModelFactory):
    """An agent: a user with a profile. Traits name the priority publics."""

    class Meta:
        model = AgentProfile

    user = factory.SubFactory(UserFactory)
    service = factory.SubFactory(ServiceFactory)
    organisation = factory.SelfAttribute("service.organisation")
    status = AgentProfile.Status.TITULAIRE
    category = AgentProfile.Category.B
    function_title = "Secrétaire administratif"
    post_start_date = datetime.date(2019, 9, 1)
    holds_level4_diploma = True

    class Params:
        category_c_without_diploma = factory.Trait(category="C", holds_level4_diploma=False)
        l5212_13 = factory.Trait(covered_by_l5212_13=True)
        professional_wear = factory.Trait(exposed_to_professional_wear=True)
        restructuring = factory.Trait(job_cut_by_restructuring=True)


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.MANAGER
    organisation = factory.SubFactory(OrganisationFactory)

    class Params:
        for_provider = factory.Trait(
            role=Role.PROVIDER, organisation=None, provider=factory.SubFactory(ProviderFactory)
        )


class ReviewRequestFactory(factory.django.DjangoModelFactory):
    """A request received on `received_on` (default: today in Paris), awaiting a decision.

    Built straight into a state, without the rules: tests of the rules go through
    the model's methods.
    """

    class Meta:
        model = ReviewRequest

    agent = factory.SubFactory(AgentFactory)
    organisation = factory.SelfAttribute("agent.organisation")
    initiative = Initiative.AGENT
    status = Status.PENDING
    needs = "Faire le point sur mes compétences et préparer une mobilité."
    received_on = factory.LazyFunction(deadlines.legal_today)
    decision_deadline = factory.LazyAttribute(
        lambda o: deadlines.decision_deadline(o.received_on) if o.received_on else None
    )

    class Params:
        overdue = factory.Trait(
            received_on=factory.LazyFunction(
                lambda: deadlines.add_months(deadlines.legal_today(), -2) - datetime.timedelta(1)
            )
        )
        proposed = factory.Trait(
            status=Status.PROPOSED,
            initiative=Initiative.EMPLOYER,
            received_on=None,
            needs="",
            proposed_by=factory.LazyAttribute(lambda o: o.agent.manager or UserFactory()),
            proposal_message="Un bilan vous aiderait à préparer la suite.",
        )
        approved = factory.Trait(
            status=Status.APPROVED,
            decided_by=factory.LazyAttribute(lambda o: o.agent.manager or UserFactory()),
            decided_at=factory.LazyFunction(timezone.now),
        )
        postponement_requested = factory.Trait(
            status=Status.POSTPONEMENT_REQUESTED,
            postponement_reason="Période de clôture budgétaire.",
            postponement_start=factory.LazyFunction(
                lambda: deadlines.legal_today() + datetime.timedelta(days=30)
            ),
            postponement_end=factory.LazyFunction(
                lambda: deadlines.legal_today() + datetime.timedelta(days=90)
            ),
        )
