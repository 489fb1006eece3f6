import datetime

import factory
from django.utils import timezone

from bpp.requests import deadlines
from bpp.requests.models import Initiative, Origin, Restructuring, ReviewRequest, Status
from tests.people.factories import AgentFactory, OrganisationFactory, UserFactory


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
    # As the rules give it: a restructuring, a proposal, else the agent's own initiative.
    origin = factory.LazyAttribute(
        lambda o: (
            Origin.RESTRUCTURING
            if getattr(o, "restructuring", None) is not None
            else Origin.EMPLOYER_PROPOSAL
            if o.initiative == Initiative.EMPLOYER
            else Origin.OWN_INITIATIVE
        )
    )
    status = Status.PENDING
    needs = "Faire le point sur mes compétences et préparer une mobilité."
    received_on = factory.LazyFunction(deadlines.legal_today)
    decision_deadline = factory.LazyAttribute(
        lambda o: deadlines.decision_deadline(o.received_on) if o.received_on else None
    )
    # As approving stores it (`ReviewRequest.priority_now`).
    is_priority = factory.LazyAttribute(
        lambda o: o.agent.is_priority or getattr(o, "restructuring", None) is not None
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
        postponed = factory.Trait(
            status=Status.POSTPONED,
            decided_by=factory.LazyAttribute(lambda o: o.agent.manager or UserFactory()),
            decided_at=factory.LazyFunction(timezone.now),
            postponement_reason="Période de clôture budgétaire.",
            postponement_start=factory.LazyAttribute(
                lambda o: deadlines.legal_today(o.decided_at) + datetime.timedelta(days=1)
            ),
            postponement_end=factory.LazyAttribute(
                lambda o: deadlines.latest_postponement_end(deadlines.legal_today(o.decided_at))
            ),
        )


class RestructuringFactory(factory.django.DjangoModelFactory):
    """An operation of `organisation` over [starts_on, ends_on]; pass `services=[...]`."""

    class Meta:
        model = Restructuring
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    title = "Réorganisation des services déconcentrés"
    decree_reference = "NOR : ECOP2612345A"
    decree_date = datetime.date(2026, 6, 15)
    starts_on = datetime.date(2026, 9, 1)
    ends_on = datetime.date(2027, 6, 30)

    @factory.post_generation
    def services(self, create, extracted, **kwargs):
        if create and extracted:
            self.services.set(extracted)
