import datetime
import functools

import factory
from django.conf import settings
from django.contrib.auth.hashers import make_password

from bpp.people.models import (
    AgentProfile,
    Organisation,
    Provider,
    ProviderContract,
    Role,
    RoleAssignment,
    Service,
    Training,
    User,
)


@functools.cache
def password_hash() -> str:
    """DEMO_PASSWORD, hashed once (with the tests' hasher, tests/conftest.py): every
    test user signs in with it."""
    return make_password(settings.DEMO_PASSWORD)


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


class ProviderContractFactory(factory.django.DjangoModelFactory):
    """A contract that lets a provider lead an employer's cohorts, reused when it exists."""

    class Meta:
        model = ProviderContract
        django_get_or_create = ("organisation", "provider")

    organisation = factory.SubFactory(OrganisationFactory)
    provider = factory.SubFactory(ProviderFactory)
    reference = factory.Sequence(lambda n: f"M-2026-{n:03d}")
    starts_on = datetime.date(2026, 1, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.gouv.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.LazyFunction(password_hash)


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
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    role = Role.MANAGER
    organisation = factory.SubFactory(OrganisationFactory)

    class Params:
        for_provider = factory.Trait(
            role=Role.PROVIDER, organisation=None, provider=factory.SubFactory(ProviderFactory)
        )

    @factory.post_generation
    def trained(self, create, extracted, **kwargs):
        """Those who may lead (CMCs, consultants) have a training on record, unless
        `trained=False`."""
        if create and extracted is not False and self.role in (Role.CMC, Role.PROVIDER):
            TrainingFactory(user=self.user)


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Training
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    course = "Accompagner les évolutions professionnelles"
    body = "IGPDE"
    completed_on = datetime.date(2024, 6, 14)
