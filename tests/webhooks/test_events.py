"""Each event of the domain reaches the endpoints of its employer that chose it: ids and
states only, recorded once the change is committed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bpp.pages.services import place_agent
from bpp.requests.jobs import record_implicit_rejections
from bpp.requests.models import Status
from bpp.requests.services import answer_postponement
from bpp.webhooks.models import Delivery, Event
from cohorts.models import Phase
from cohorts.services import advance_cohort
from tests.cohorts.factories import CohortFactory
from tests.people.factories import AgentFactory, OrganisationFactory, UserFactory
from tests.requests.factories import ReviewRequestFactory
from tests.webhooks.factories import EndpointFactory

pytestmark = pytest.mark.django_db

NEW_REQUEST = {
    "needs": "Faire le point après dix ans sur le même poste.",
    "has_defined_project": "non",
    "preferred_mode": "distance",
    "availability_constraints": "",
}


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the callbacks of the transactions committed in the block, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def data_of(event: str) -> list[dict]:
    return [d.payload["data"] for d in Delivery.objects.filter(event=event).order_by("pk")]


def test_a_request_received_is_posted(client, committed):
    agent = AgentFactory(manager=UserFactory())
    endpoint = EndpointFactory(organisation=agent.organisation)
    client.force_login(agent.user)

    with committed():
        client.post(reverse("requests:new"), NEW_REQUEST)

    [delivery] = Delivery.objects.all()
    request_id = agent.review_requests.get().pk
    assert delivery.endpoint == endpoint
    assert delivery.payload["type"] == "request.received"
    assert delivery.payload["data"] == {
        "request_id": request_id,
        "organisation_id": agent.organisation_id,
        "status": Status.PENDING,
    }
    assert delivery.status == Delivery.Status.PENDING


def test_a_decision_is_posted(client, committed):
    review_request = ReviewRequestFactory(agent=AgentFactory(manager=UserFactory()))
    EndpointFactory(organisation=review_request.organisation)
    client.force_login(review_request.agent.manager)

    with committed():
        client.post(reverse("requests:decide", args=[review_request.pk]), {"decision": "accepter"})

    assert data_of(Event.REQUEST_DECIDED) == [
        {
            "request_id": review_request.pk,
            "organisation_id": review_request.organisation_id,
            "status": Status.APPROVED,
        }
    ]


def test_a_refusal_is_posted_and_the_payload_holds_no_words(client, committed):
    review_request = ReviewRequestFactory(agent=AgentFactory(manager=UserFactory()))
    EndpointFactory(organisation=review_request.organisation)
    client.force_login(review_request.agent.manager)

    with committed():
        client.post(
            reverse("requests:decide", args=[review_request.pk]),
            {"decision": "refuser", "reason": "Motif confidentiel du refus, très détaillé."},
        )

    [delivery] = Delivery.objects.filter(event=Event.REQUEST_DECIDED)
    assert delivery.payload["data"]["status"] == Status.REFUSED
    assert "confidentiel" not in str(delivery.payload)
    assert review_request.needs not in str(delivery.payload)


def test_implicit_rejections_are_posted_in_sets_per_employer(committed):
    ours, theirs = OrganisationFactory(), OrganisationFactory()
    EndpointFactory(organisation=ours)
    EndpointFactory(organisation=theirs)
    mine = [ReviewRequestFactory(overdue=True, agent__service__organisation=ours) for _ in range(3)]
    other = ReviewRequestFactory(overdue=True, agent__service__organisation=theirs)

    with committed():
        assert record_implicit_rejections() == 4

    assert sorted(
        data_of(Event.REQUESTS_IMPLICITLY_REJECTED), key=lambda d: d["organisation_id"]
    ) == sorted(
        [
            {
                "organisation_id": ours.pk,
                "request_ids": [r.pk for r in mine],
                "status": Status.IMPLICITLY_REJECTED,
            },
            {
                "organisation_id": theirs.pk,
                "request_ids": [other.pk],
                "status": Status.IMPLICITLY_REJECTED,
            },
        ],
        key=lambda d: d["organisation_id"],
    )


def queries_to_reject(overdue: int, committed) -> int:
    organisation = OrganisationFactory()
    EndpointFactory(organisation=organisation)
    for _ in range(overdue):
        ReviewRequestFactory(overdue=True, agent__service__organisation=organisation)
    with CaptureQueriesContext(connection) as queries, committed():
        assert record_implicit_rejections() == overdue
    return len(queries)


def test_the_queries_of_implicit_rejections_do_not_grow_with_their_number(committed):
    few = queries_to_reject(2, committed)
    Delivery.objects.all().delete()

    assert queries_to_reject(40, committed) == few


def test_a_placement_is_posted(committed):
    cohort = CohortFactory()
    EndpointFactory(organisation=cohort.organisation)
    review_request = ReviewRequestFactory(
        approved=True,
        agent__service__organisation=cohort.organisation,
        agent__organisation=cohort.organisation,
    )

    with committed():
        enrolment = place_agent(review_request=review_request, cohort=cohort, by=UserFactory())

    assert data_of(Event.AGENT_PLACED) == [
        {
            "enrolment_id": enrolment.pk,
            "cohort_id": cohort.pk,
            "request_id": review_request.pk,
            "organisation_id": cohort.organisation_id,
        }
    ]


def test_the_conclusion_of_a_cohort_is_posted(committed):
    cohort = CohortFactory(current_phase=Phase.CONCLUSION)
    EndpointFactory(organisation=cohort.organisation)

    with committed():
        advance_cohort(cohort=cohort, by=UserFactory())

    assert data_of(Event.COHORT_CONCLUDED) == [
        {"cohort_id": cohort.pk, "organisation_id": cohort.organisation_id}
    ]


def test_a_phase_that_does_not_conclude_posts_nothing(committed):
    cohort = CohortFactory(current_phase=Phase.LAUNCH)
    EndpointFactory(organisation=cohort.organisation)

    with committed():
        advance_cohort(cohort=cohort, by=UserFactory())

    assert not Delivery.objects.exists()


def test_only_the_endpoints_of_the_employer_that_chose_the_event_receive_it(client, committed):
    review_request = ReviewRequestFactory(agent=AgentFactory(manager=UserFactory()))
    listening = EndpointFactory(organisation=review_request.organisation)
    EndpointFactory(organisation=review_request.organisation, events=[Event.COHORT_CONCLUDED])
    EndpointFactory(organisation=review_request.organisation, active=False)
    EndpointFactory()  # another employer's
    client.force_login(review_request.agent.manager)

    with committed():
        client.post(reverse("requests:decide", args=[review_request.pk]), {"decision": "accepter"})

    assert [d.endpoint for d in Delivery.objects.all()] == [listening]


def test_a_change_rolled_back_posts_nothing(client):
    """Without a commit (the test's transaction never commits), nothing is recorded."""
    review_request = ReviewRequestFactory(agent=AgentFactory(manager=UserFactory()))
    EndpointFactory(organisation=review_request.organisation)
    client.force_login(review_request.agent.manager)

    client.post(reverse("requests:decide", args=[review_request.pk]), {"decision": "accepter"})

    assert not Delivery.objects.exists()


def test_a_postponement_agreed_by_hr_is_posted_as_a_decision(committed):
    review_request = ReviewRequestFactory(postponement_requested=True)
    EndpointFactory(organisation=review_request.organisation)

    with committed():
        answer_postponement(review_request=review_request, by=UserFactory(), agree=True)

    assert [d["status"] for d in data_of(Event.REQUEST_DECIDED)] == [Status.POSTPONED]


def test_a_postponement_declined_by_hr_is_no_decision(committed):
    review_request = ReviewRequestFactory(postponement_requested=True)
    EndpointFactory(organisation=review_request.organisation)

    with committed():
        answer_postponement(
            review_request=review_request, by=UserFactory(), agree=False, reason="Pas maintenant."
        )

    assert not Delivery.objects.exists()
