"""A request de droit over HTTP: the agent asks, nobody may refuse it, the HR admin records
the operation."""

import pytest
import time_machine
from django.urls import reverse

from bpp.requests.models import Restructuring, ReviewRequest, Status
from tests.clock import paris
from tests.people.factories import AgentFactory, ServiceFactory, UserFactory
from tests.requests.factories import RestructuringFactory

pytestmark = pytest.mark.django_db

ANSWERS = {
    "needs": "Préparer la suite après la fermeture de mon bureau.",
    "has_defined_project": "non",
    "preferred_mode": "distance",
    "availability_constraints": "",
}


@pytest.fixture
def agent():
    agent = AgentFactory(manager=UserFactory())
    # From 1 September 2026 to 30 June 2027.
    RestructuringFactory(organisation=agent.organisation, services=[agent.service])
    return agent


def ask(client, agent):
    client.force_login(agent.user)
    client.post(reverse("requests:new"), ANSWERS)
    return ReviewRequest.objects.get(agent=agent)


@time_machine.travel(paris(2026, 9, 1, 9), tick=False)
def test_the_agent_asking_the_first_day_of_the_operation_reads_de_droit(client, agent):
    review_request = ask(client, agent)

    detail = client.get(reverse("requests:detail", args=[review_request.pk])).text
    portal = client.get(reverse("portals:agent")).text

    assert review_request.status == Status.APPROVED
    assert "décret n° 2019-1441, art. 4 — opération de restructuration" in detail
    assert "Votre bilan est de droit" in portal


@time_machine.travel(paris(2027, 7, 1, 9), tick=False)
def test_the_day_after_the_operation_the_request_awaits_a_decision(client, agent):
    review_request = ask(client, agent)

    portal = client.get(reverse("portals:agent")).text

    assert review_request.status == Status.PENDING
    assert "de droit" not in portal


@time_machine.travel(paris(2026, 9, 1, 9), tick=False)
def test_an_agent_whose_job_is_cut_without_an_operation_is_not_told_de_droit(client):
    agent = AgentFactory(manager=UserFactory(), restructuring=True)
    ask(client, agent)

    portal = client.get(reverse("portals:agent")).text

    assert "droit à un bilan" not in portal and "de droit" not in portal


@time_machine.travel(paris(2026, 9, 1, 9), tick=False)
def test_a_manager_trying_to_refuse_a_request_de_droit_changes_nothing(client, agent):
    review_request = ask(client, agent)
    client.force_login(agent.manager)
    url = reverse("requests:decide", args=[review_request.pk])

    page = client.get(url, follow=True).text
    response = client.post(
        url, {"decision": "refuser", "reason": "Service en sous-effectif."}, follow=True
    )

    assert "Refuser la demande" not in page  # the decide page is not offered
    assert "n’attend plus de décision" in response.text
    review_request.refresh_from_db()
    assert (review_request.status, review_request.refusal_reason) == (Status.APPROVED, "")


def test_the_hr_admin_records_an_operation_for_a_service_of_their_employer(client, world):
    client.force_login(world.users["hr_admin"])

    client.post(
        reverse("admin:requests_restructuring_add"),
        {
            "organisation": world.organisation.pk,
            "title": "Fermeture du bureau des carrières",
            "decree_reference": "NOR : ECOP2612345A",
            "decree_date": "2026-06-15",
            "services": [world.service.pk],
            "starts_on": "2026-09-01",
            "ends_on": "2027-06-30",
        },
    )

    operation = Restructuring.objects.get(title="Fermeture du bureau des carrières")
    assert list(operation.services.all()) == [world.service]


def test_the_hr_admin_sees_only_their_employers_operations_and_services(client, world):
    RestructuringFactory(organisation=world.organisation, title="Opération de l’Exemple")
    RestructuringFactory(organisation=world.other_organisation, title="Opération du Voisin")
    foreign_service = ServiceFactory(organisation=world.other_organisation, name="Bureau voisin")
    client.force_login(world.users["hr_admin"])

    listing = client.get(reverse("admin:requests_restructuring_changelist")).text
    form = client.get(reverse("admin:requests_restructuring_add")).text

    assert "Opération de l’Exemple" in listing
    assert "Opération du Voisin" not in listing
    assert world.service.name in form
    assert foreign_service.name not in form
