import datetime

import pytest
from django.urls import reverse

from bpp.people.models import Role
from bpp.requests import deadlines
from bpp.requests.models import Status
from tests.people.factories import AgentFactory, RoleFactory, UserFactory
from tests.requests.factories import ReviewRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def review_request():
    return ReviewRequestFactory(agent=AgentFactory(manager=UserFactory()))


def url(review_request):
    return reverse("requests:decide", args=[review_request.pk])


def decide(client, review_request, user, **data):
    client.force_login(user)
    return client.post(url(review_request), data, follow=True)


def stored(review_request):
    review_request.refresh_from_db()
    return review_request


def test_the_manager_approves(client, review_request):
    response = decide(client, review_request, review_request.agent.manager, decision="accepter")

    assert stored(review_request).status == Status.APPROVED
    assert "La demande est acceptée" in response.text


def test_the_refusal_screen_says_it_cannot_go_to_the_joint_committee(client, review_request):
    client.force_login(review_request.agent.manager)

    response = client.get(url(review_request))

    assert "ne peut pas faire l’objet d’une saisine de l’instance paritaire" in response.text


def test_a_refusal_without_reason_is_refused_with_a_french_message(client, review_request):
    response = decide(client, review_request, review_request.agent.manager, decision="refuser")

    assert "Le motif du refus est obligatoire" in response.text
    assert stored(review_request).status == Status.PENDING


def test_the_refusal_reason_is_shown_to_the_agent(client, review_request):
    decide(
        client,
        review_request,
        review_request.agent.manager,
        decision="refuser",
        reason="Le service est en sous-effectif jusqu’en juin.",
    )
    client.force_login(review_request.agent.user)

    response = client.get(reverse("requests:detail", args=[review_request.pk]))

    assert "Le service est en sous-effectif jusqu’en juin." in response.text
    assert "Refusée" in response.text


def test_an_unknown_decision_changes_nothing(client, review_request):
    response = decide(client, review_request, review_request.agent.manager, decision="supprimer")

    assert "Cette décision n’existe pas" in response.text
    assert stored(review_request).status == Status.PENDING


def test_a_postponement_needs_a_future_period(client, review_request):
    today = deadlines.legal_today()

    response = decide(
        client,
        review_request,
        review_request.agent.manager,
        decision="reporter",
        reason="Continuité du service.",
        postponement_start=today.isoformat(),
        postponement_end=(today + datetime.timedelta(days=30)).isoformat(),
    )

    assert "La période proposée doit commencer après aujourd’hui" in response.text
    assert stored(review_request).status == Status.PENDING


def test_a_manager_postponement_goes_to_hr(client, review_request):
    today = deadlines.legal_today()

    decide(
        client,
        review_request,
        review_request.agent.manager,
        decision="reporter",
        reason="Continuité du service.",
        postponement_start=(today + datetime.timedelta(days=10)).isoformat(),
        postponement_end=(today + datetime.timedelta(days=60)).isoformat(),
    )

    assert stored(review_request).status == Status.POSTPONEMENT_REQUESTED


def test_the_hr_service_of_the_organisation_may_decide(client, review_request):
    hr = RoleFactory(role=Role.HR, organisation=review_request.organisation).user

    decide(client, review_request, hr, decision="accepter")

    assert stored(review_request).status == Status.APPROVED


def test_a_manager_of_another_team_gets_404(client, review_request):
    client.force_login(
        RoleFactory(role=Role.MANAGER, organisation=review_request.organisation).user
    )

    assert client.post(url(review_request), {"decision": "accepter"}).status_code == 404
    assert stored(review_request).status == Status.PENDING


def test_hr_of_another_organisation_gets_404(client, review_request):
    client.force_login(RoleFactory(role=Role.HR).user)

    assert client.post(url(review_request), {"decision": "accepter"}).status_code == 404


def test_an_agent_cannot_decide_their_own_request_even_as_hr(client, review_request):
    agent = review_request.agent
    RoleFactory(user=agent.user, role=Role.HR, organisation=agent.organisation)
    client.force_login(agent.user)

    assert client.post(url(review_request), {"decision": "accepter"}).status_code == 404
    assert stored(review_request).status == Status.PENDING


def test_an_overdue_request_cannot_be_decided(client):
    review_request = ReviewRequestFactory(agent=AgentFactory(manager=UserFactory()), overdue=True)

    response = decide(client, review_request, review_request.agent.manager, decision="accepter")

    assert "Cette demande n’attend plus de décision : rejetée implicitement" in response.text
    assert stored(review_request).status == Status.PENDING  # as stored; it reads as rejected


def test_a_decision_lost_to_a_colleague_says_what_happened(client, review_request):
    client.force_login(review_request.agent.manager)
    client.get(url(review_request))  # the manager opens the form…
    hr = RoleFactory(role=Role.HR, organisation=review_request.organisation).user
    review_request.refuse(by=hr, reason="Décidé par les RH.")  # …HR decides meanwhile

    response = client.post(url(review_request), {"decision": "accepter"}, follow=True)

    assert "Cette demande n’attend plus de décision : refusée" in response.text
    assert stored(review_request).status == Status.REFUSED


def postpone_over_http(client, review_request, *, reason, end_after_max_days=0):
    today = deadlines.legal_today()
    latest = deadlines.latest_postponement_end(today)
    return decide(
        client,
        review_request,
        review_request.agent.manager,
        decision="reporter",
        reason=reason,
        postponement_start=(today + datetime.timedelta(days=1)).isoformat(),
        postponement_end=(latest + datetime.timedelta(days=end_after_max_days)).isoformat(),
    )


def test_a_postponement_reason_of_19_characters_is_refused(client, review_request):
    response = postpone_over_http(client, review_request, reason="x" * 19)

    assert "20 caractères au moins" in response.text
    assert stored(review_request).status == Status.PENDING


def test_a_postponement_may_end_on_the_maximum_date_with_20_characters(client, review_request):
    postpone_over_http(client, review_request, reason="x" * 20)

    assert stored(review_request).status == Status.POSTPONEMENT_REQUESTED


def test_a_postponement_ending_one_day_past_the_maximum_is_refused(client, review_request):
    response = postpone_over_http(
        client, review_request, reason="Continuité du service.", end_after_max_days=1
    )

    assert "Un report est exceptionnel" in response.text
    assert stored(review_request).status == Status.PENDING


def test_the_decide_page_states_the_only_ground_of_a_postponement(client, review_request):
    client.force_login(review_request.agent.manager)

    assert "pour la continuité du service" in client.get(url(review_request)).text
