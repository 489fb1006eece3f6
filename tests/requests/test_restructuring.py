"""A request made within a restructuring operation is de droit (décret n° 2019-1441, art. 4)."""

import datetime

import pytest
from django.db import IntegrityError

from bpp.people.models import Role
from bpp.requests import services
from bpp.requests.models import RequestError, ReviewRequest, Status
from cohorts.models import waiting_for_a_seat
from tests.clock import paris
from tests.people.factories import AgentFactory, RoleFactory, UserFactory
from tests.requests.factories import RestructuringFactory, ReviewRequestFactory

pytestmark = pytest.mark.django_db

ANSWERS = {"needs": "Préparer une mobilité vers un autre métier.", "preferred_mode": "distance"}
LEGAL_BASIS = (
    "décret n° 2019-1441, art. 4 — opération de restructuration : "
    "Réorganisation des services déconcentrés, arrêté du 15 juin 2026"
)


@pytest.fixture
def agent():
    return AgentFactory(manager=UserFactory())


@pytest.fixture
def operation(agent):
    # From 1 September 2026 to 30 June 2027, both days included.
    return RestructuringFactory(organisation=agent.organisation, services=[agent.service])


def submit(agent, when):
    return services.submit_request(agent=agent, now=when, **ANSWERS)


def test_a_request_the_day_the_operation_starts_is_approved_on_receipt(agent, operation):
    review_request = submit(agent, paris(2026, 9, 1, 8))

    assert review_request.status == Status.APPROVED
    assert review_request.is_de_droit
    assert review_request.restructuring == operation
    assert review_request.decided_at == paris(2026, 9, 1, 8)
    approval = review_request.transitions.get(to_status=Status.APPROVED)
    assert (approval.from_status, approval.by, approval.reason) == (
        Status.PENDING,
        None,
        LEGAL_BASIS,
    )


def test_a_request_the_last_day_of_the_operation_is_de_droit(agent, operation):
    assert submit(agent, paris(2027, 6, 30, 23, 30)).is_de_droit


def test_a_request_the_day_after_the_operation_ends_is_not_de_droit(agent, operation):
    review_request = submit(agent, paris(2027, 7, 1, 0, 30))

    assert review_request.status == Status.PENDING
    assert not review_request.is_de_droit


def test_a_request_the_day_before_the_operation_starts_is_not_de_droit(agent, operation):
    assert submit(agent, paris(2026, 8, 31, 23, 30)).status == Status.PENDING


def test_an_agent_of_another_service_is_not_concerned(operation):
    other = AgentFactory(organisation=operation.organisation, manager=UserFactory())

    assert not submit(other, paris(2026, 10, 1)).is_de_droit


def test_a_proposal_accepted_during_the_operation_is_de_droit(agent, operation):
    proposal = services.propose_review(
        agent=agent, by=agent.manager, message="Un bilan vous aiderait.", now=paris(2026, 8, 1)
    )

    accepted = services.accept_proposal(review_request=proposal, now=paris(2026, 9, 1), **ANSWERS)

    assert accepted.status == Status.APPROVED and accepted.is_de_droit


def test_a_manager_cannot_refuse_a_request_de_droit_and_nothing_changes(agent, operation):
    review_request = submit(agent, paris(2026, 9, 1))

    with pytest.raises(RequestError, match=r"de droit .* ne peut pas être refusée"):
        services.refuse_request(
            review_request=review_request,
            by=agent.manager,
            reason="Service en sous-effectif.",
            now=paris(2026, 9, 2),
        )

    stored = ReviewRequest.objects.get(pk=review_request.pk)
    assert (stored.status, stored.refusal_reason) == (Status.APPROVED, "")
    assert stored.transitions.count() == 2
    assert not stored.can_refuse and not stored.can_postpone and not stored.is_decidable


def test_nobody_can_postpone_a_request_de_droit(agent, operation):
    review_request = submit(agent, paris(2026, 9, 1))
    hr = RoleFactory(role=Role.HR, organisation=agent.organisation).user

    with pytest.raises(RequestError, match="ne peut pas être reportée"):
        services.postpone_request(
            review_request=review_request,
            by=hr,
            reason="Continuité du service : clôture des comptes.",
            start=datetime.date(2026, 10, 1),
            end=datetime.date(2026, 12, 1),
            now=paris(2026, 9, 2),
        )

    assert ReviewRequest.objects.get(pk=review_request.pk).status == Status.APPROVED


def test_the_database_refuses_a_request_de_droit_refused(agent, operation):
    review_request = submit(agent, paris(2026, 9, 1))

    with pytest.raises(IntegrityError):
        ReviewRequest.objects.filter(pk=review_request.pk).update(
            status=Status.REFUSED, refusal_reason="Non."
        )


def test_requests_de_droit_rank_as_priority_in_the_queue(agent, operation):
    earlier = ReviewRequestFactory(approved=True, decided_at=paris(2026, 8, 1))
    de_droit = submit(agent, paris(2026, 9, 1))

    day = datetime.date(2026, 9, 2)
    queue = list(waiting_for_a_seat(ReviewRequest.objects.as_of(day), day))

    assert queue == [de_droit, earlier]
    assert queue[0].is_priority


def test_the_agent_and_the_deciders_learn_the_decision_not_a_receipt(
    agent, operation, django_tasks
):
    submit(agent, paris(2026, 9, 1))

    sent = {(m["to"][0], m["subject"]) for m in django_tasks.emails()}
    assert {to for to, _ in sent} == {agent.user.email, agent.manager.email}
    assert all("reçue" not in subject.lower() for _, subject in sent)
    bodies = " ".join(m["text"] for m in django_tasks.emails())
    assert LEGAL_BASIS in bodies
