import pytest
from django.urls import reverse

from bpp.people.models import Role
from bpp.requests.models import Status
from tests.people.factories import AgentFactory, RoleFactory, UserFactory
from tests.requests.factories import ReviewRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def review_request():
    return ReviewRequestFactory(
        agent=AgentFactory(manager=UserFactory()), postponement_requested=True
    )


@pytest.fixture
def hr(client, review_request):
    user = RoleFactory(role=Role.HR, organisation=review_request.organisation).user
    client.force_login(user)
    return user


def url(review_request):
    return reverse("requests:postponement", args=[review_request.pk])


def test_it_shows_the_proposed_period_and_reason(client, hr, review_request):
    response = client.get(url(review_request))

    assert "Période proposée" in response.text
    assert review_request.postponement_reason in response.text


def test_hr_agrees_and_the_request_is_postponed(client, hr, review_request):
    client.post(url(review_request), {"agree": "oui"})

    review_request.refresh_from_db()
    assert review_request.status == Status.POSTPONED
    assert review_request.transitions.get().by == hr


def test_hr_declines_with_a_reason_and_the_request_goes_back_to_the_manager(
    client, hr, review_request
):
    client.post(url(review_request), {"agree": "non", "reason": "Aucune urgence de service."})

    review_request.refresh_from_db()
    assert review_request.status == Status.PENDING


def test_declining_without_reason_changes_nothing(client, hr, review_request):
    response = client.post(url(review_request), {"agree": "non", "reason": ""})

    assert "pourquoi vous refusez ce report" in response.text
    review_request.refresh_from_db()
    assert review_request.status == Status.POSTPONEMENT_REQUESTED


def test_the_manager_cannot_give_the_hr_agreement(client, review_request):
    client.force_login(review_request.agent.manager)

    assert client.post(url(review_request), {"agree": "oui"}).status_code == 404
    review_request.refresh_from_db()
    assert review_request.status == Status.POSTPONEMENT_REQUESTED
