"""The queue's priority is stored on the request when it is approved or postponed, and
follows the agent's priority grounds when the HR admin changes them."""

import datetime

import pytest
from django.urls import reverse

from bpp.people.models import Role
from bpp.requests import services
from bpp.requests.models import ReviewRequest
from cohorts.models import waiting_for_a_seat
from tests.clock import paris
from tests.html_forms import form_data
from tests.people.factories import AgentFactory, RoleFactory, UserFactory
from tests.requests.factories import RestructuringFactory, ReviewRequestFactory

pytestmark = pytest.mark.django_db

ANSWERS = {"needs": "Préparer une mobilité vers un autre métier.", "preferred_mode": "distance"}


def stored(review_request) -> bool:
    return ReviewRequest.objects.get(pk=review_request.pk).is_priority


def submitted(agent, when=None):
    return services.submit_request(agent=agent, now=when or paris(2026, 9, 1), **ANSWERS)


def test_it_is_stored_when_a_priority_agent_s_request_is_approved():
    agent = AgentFactory(manager=UserFactory(), l5212_13=True)
    review_request = submitted(agent)

    services.approve_request(review_request=review_request, by=agent.manager, now=paris(2026, 9, 2))

    assert stored(review_request)


def test_it_is_not_stored_for_an_agent_of_no_priority_public():
    agent = AgentFactory(manager=UserFactory())
    review_request = submitted(agent)

    services.approve_request(review_request=review_request, by=agent.manager, now=paris(2026, 9, 2))

    assert not stored(review_request)


def test_a_de_droit_request_is_stored_as_a_priority_one():
    agent = AgentFactory(manager=UserFactory())
    RestructuringFactory(
        organisation=agent.organisation,
        services=[agent.service],
        starts_on=datetime.date(2026, 8, 1),
        ends_on=datetime.date(2026, 12, 31),
    )

    review_request = submitted(agent)

    assert review_request.is_de_droit
    assert stored(review_request)


def test_a_postponed_priority_request_goes_first_once_the_calendar_approves_it():
    agent = AgentFactory(manager=UserFactory(), professional_wear=True)
    hr = RoleFactory(role=Role.HR, organisation=agent.organisation).user
    earlier = ReviewRequestFactory(approved=True, decided_at=paris(2026, 8, 30))
    review_request = submitted(agent, paris(2026, 8, 20))
    services.postpone_request(
        review_request=review_request,
        by=hr,
        reason="Clôture budgétaire : le service ne peut se passer de l’agent.",
        start=datetime.date(2026, 9, 1),
        end=datetime.date(2027, 2, 28),
        now=paris(2026, 8, 31),
    )

    day = datetime.date(2027, 3, 1)
    assert list(waiting_for_a_seat(ReviewRequest.objects.all(), day)) == [review_request, earlier]


def test_it_follows_the_agent_s_grounds_when_the_hr_admin_changes_them(client, world):
    agent, review_request = world.users["agent"].agent_profile, world.request
    assert not stored(review_request)
    client.force_login(world.users["hr_admin"])
    url = reverse("admin:people_user_change", args=[agent.user.pk])
    data = form_data(client.get(url).text, containing="email")
    data["agent_profile-0-covered_by_l5212_13"] = ["on"]

    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert stored(review_request)
