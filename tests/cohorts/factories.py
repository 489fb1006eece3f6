import datetime

import factory
from django.utils import timezone

from bpp.requests.models import Mode
from cohorts.models import Cohort, CohortPhase, Enrolment, Formula, Session, SessionKind
from tests.people.factories import OrganisationFactory, ProviderContractFactory, UserFactory
from tests.requests.factories import ReviewRequestFactory


class CohortFactory(factory.django.DjangoModelFactory):
    """A published collective cohort of 12 places, with its four phases planned."""

    class Meta:
        model = Cohort
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Promotion {n}")
    formula = Formula.COLLECTIVE
    mode = Mode.ON_SITE
    place = "Tour Séquoia, La Défense"
    capacity = 12
    published = True
    # A provider is the exception: its cohort names the contract and why.
    provider_reason = factory.Maybe(
        "provider", "Aucun conseiller mobilité-carrière n’est disponible ce semestre.", ""
    )
    provider_contract = factory.Maybe(
        "provider",
        factory.SubFactory(
            ProviderContractFactory,
            organisation=factory.SelfAttribute("..organisation"),
            provider=factory.SelfAttribute("..provider"),
        ),
        None,
    )

    @factory.post_generation
    def phases(self, create, extracted, **kwargs):
        if not create:
            return
        start = extracted or datetime.date(2027, 1, 11)
        for number in range(1, 5):
            CohortPhase.objects.create(
                cohort=self,
                number=number,
                starts_on=start + datetime.timedelta(weeks=3 * (number - 1)),
                ends_on=start + datetime.timedelta(weeks=3 * number - 1),
            )


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment
        skip_postgeneration_save = True

    cohort = factory.SubFactory(CohortFactory)
    request = factory.SubFactory(
        ReviewRequestFactory,
        approved=True,
        agent__organisation=factory.SelfAttribute("...cohort.organisation"),
        agent__service__organisation=factory.SelfAttribute("....cohort.organisation"),
    )
    agent = factory.SelfAttribute("request.agent")
    placed_at = factory.LazyFunction(timezone.now)
    placed_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def seat(obj, create, extracted, **kwargs):
        """Mark the request seated, as the placement service does."""
        if create and obj.withdrawn_at is None:
            type(obj.request).objects.filter(pk=obj.request_id).update(seated=True)
            obj.request.seated = True


class SessionFactory(factory.django.DjangoModelFactory):
    """A collective session of phase 2, three hours, on site."""

    class Meta:
        model = Session
        skip_postgeneration_save = True

    cohort = factory.SubFactory(CohortFactory)
    phase = 2
    kind = SessionKind.COLLECTIVE
    title = "Mon parcours, mes compétences"
    starts_at = factory.LazyFunction(
        lambda: timezone.now().replace(microsecond=0) + datetime.timedelta(days=14)
    )
    duration_minutes = 180
    place = "Tour Séquoia, salle 12"

    @factory.post_generation
    def participants(self, create, extracted, **kwargs):
        if create and extracted:
            self.participants.set(extracted)
