"""The L5212-13 status is the agent's: deciders read "public prioritaire", never the ground,
and the agent alone decides, at any time, whether the référent handicap is associated."""

import pytest
from django.urls import reverse

from bpp.people.models import Role
from bpp.requests import services
from bpp.requests.models import ReviewRequest
from tests.people.factories import AgentFactory, RoleFactory
from tests.requests.factories import ReviewRequestFactory

pytestmark = pytest.mark.django_db

GROUNDS = ("L5212", "handicap", "Handicap")


@pytest.fixture
def agent():
    return AgentFactory(l5212_13=True, manager=RoleFactory(role=Role.MANAGER).user)


@pytest.fixture
def hr(agent):
    return RoleFactory(role=Role.HR, organisation=agent.organisation).user


@pytest.fixture
def officer(agent):
    return RoleFactory(role=Role.DISABILITY_OFFICER, organisation=agent.organisation).user


def assert_no_ground(text: str) -> None:
    for word in GROUNDS:
        assert word not in text


def choose(client, review_request, answer: str):
    return client.post(
        reverse("requests:disability_officer", args=[review_request.pk]),
        {"associate": answer},
        follow=True,
    )


def test_it_shows_the_manager_public_prioritaire_never_the_ground(client, agent):
    review_request = ReviewRequestFactory(agent=agent, wants_disability_officer=True)
    client.force_login(agent.manager)

    pages = [
        client.get(reverse("requests:detail", args=[review_request.pk])),
        client.get(reverse("requests:decide", args=[review_request.pk])),
        client.get(reverse("requests:to_decide")),
        client.get(reverse("portals:manager")),
    ]

    assert "Public prioritaire" in pages[1].text
    for response in pages:
        assert response.status_code == 200
        assert_no_ground(response.text)


def test_it_shows_hr_deciding_public_prioritaire_never_the_ground(client, agent, hr):
    agent.manager = None
    agent.save()
    review_request = ReviewRequestFactory(agent=agent, wants_disability_officer=True)
    ReviewRequestFactory(
        agent=AgentFactory(l5212_13=True, organisation=agent.organisation), approved=True
    )
    client.force_login(hr)

    pages = [
        client.get(reverse("requests:detail", args=[review_request.pk])),
        client.get(reverse("requests:decide", args=[review_request.pk])),
        client.get(reverse("requests:to_decide")),
        client.get(reverse("portals:hr")),
    ]

    assert "Public prioritaire" in pages[1].text
    for response in pages:
        assert response.status_code == 200
        assert_no_ground(response.text)


def test_the_deciders_e_mails_never_name_the_ground(agent, hr, officer, django_tasks):
    review_request = services.submit_request(
        agent=agent, needs="Changer de métier.", wants_disability_officer=True
    )
    services.approve_request(review_request=review_request, by=hr)

    deciders = {agent.manager.email, hr.email}
    mails = [m for m in django_tasks.emails() if deciders & set(m["to"])]
    assert len(mails) >= 2  # to decide, decided by HR
    for mail in mails:
        assert_no_ground(mail["subject"] + mail["text"] + mail["html"])
    assert any(officer.email in m["to"] for m in django_tasks.emails())


def test_the_agent_sees_the_référent_handicap_on_their_own_page(client, agent):
    review_request = ReviewRequestFactory(agent=agent)
    client.force_login(agent.user)

    response = client.get(reverse("requests:detail", args=[review_request.pk]))

    assert "Référent handicap associé" in response.text
    assert "Associer le référent handicap à mon bilan" in response.text


def test_it_lets_the_agent_associate_the_officer_who_is_told(client, agent, officer, django_tasks):
    review_request = ReviewRequestFactory(agent=agent, approved=True)
    client.force_login(agent.user)

    response = choose(client, review_request, "oui")

    assert ReviewRequest.objects.get().wants_disability_officer
    assert "Le référent handicap sera associé" in response.text
    [mail] = [m for m in django_tasks.emails() if officer.email in m["to"]]
    assert "souhaite que vous soyez associé(e)" in mail["text"]


def test_it_lets_the_agent_withdraw_the_association_silently(client, agent, officer, django_tasks):
    review_request = ReviewRequestFactory(agent=agent, approved=True, wants_disability_officer=True)
    client.force_login(agent.user)

    response = choose(client, review_request, "non")

    assert not ReviewRequest.objects.get().wants_disability_officer
    assert "Associer le référent handicap à mon bilan" in response.text
    assert not django_tasks.emails()


def test_an_opt_in_before_approval_waits_for_the_approval_to_reach_the_officer(
    client, agent, officer, django_tasks
):
    review_request = ReviewRequestFactory(agent=agent)
    client.force_login(agent.user)

    choose(client, review_request, "oui")

    assert ReviewRequest.objects.get().wants_disability_officer
    assert all(officer.email not in m["to"] for m in django_tasks.emails())


def test_the_manager_cannot_choose_for_the_agent(client, agent):
    review_request = ReviewRequestFactory(agent=agent, approved=True)
    client.force_login(agent.manager)

    response = choose(client, review_request, "oui")

    assert response.status_code == 404
    assert not ReviewRequest.objects.get().wants_disability_officer


def test_an_agent_not_covered_is_not_asked(client):
    review_request = ReviewRequestFactory(approved=True)
    client.force_login(review_request.agent.user)

    page = client.get(reverse("requests:detail", args=[review_request.pk]))
    choose(client, review_request, "oui")

    assert "référent handicap" not in page.text
    assert not ReviewRequest.objects.get().wants_disability_officer


def test_a_closed_request_keeps_its_answer(client, agent):
    review_request = ReviewRequestFactory(agent=agent, overdue=True)
    client.force_login(agent.user)

    choose(client, review_request, "oui")

    assert not ReviewRequest.objects.get().wants_disability_officer
