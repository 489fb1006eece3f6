"""The law's words: the legal basis of silence, the voies et délais de recours of every
refusal and implicit rejection, and "au plus tard le" for a deadline day still valid."""

import pytest
from django.core import mail
from django.urls import reverse

from bpp.people.models import Role
from bpp.requests import jobs, services
from tests.clock import paris
from tests.people.factories import AgentFactory, RoleFactory, UserFactory
from tests.requests.factories import ReviewRequestFactory

pytestmark = pytest.mark.django_db

REMEDIES = (
    "Vous pouvez former un recours gracieux auprès de l’autorité qui a pris la décision, ou un "
    "recours hiérarchique, et un recours contentieux devant le tribunal administratif dans un "
    "délai de deux mois à compter de la notification de cette décision (ou de la naissance de "
    "la décision implicite)."
)
JOINT_COMMITTEE = "ne peut pas faire l’objet d’une saisine de l’instance paritaire"


@pytest.fixture
def agent():
    return AgentFactory(manager=UserFactory())


def mails_to(django_tasks, user):
    return [m for m in django_tasks.emails() if user.email in m["to"]]


def test_the_refusal_e_mail_states_the_remedies_beside_the_joint_committee(agent, django_tasks):
    review_request = services.submit_request(agent=agent, needs="Évoluer.", now=paris(2026, 11, 2))
    django_tasks.clear()

    services.refuse_request(
        review_request=review_request, by=agent.manager, reason="Non.", now=paris(2026, 11, 3)
    )

    [mail] = mails_to(django_tasks, agent.user)
    assert REMEDIES in mail["text"]
    assert JOINT_COMMITTEE in mail["text"]


def test_the_implicit_rejection_e_mail_states_the_law_and_the_remedies(agent, django_tasks):
    services.submit_request(agent=agent, needs="Évoluer.", now=paris(2026, 11, 2))
    django_tasks.clear()

    jobs.record_implicit_rejections(now=paris(2027, 1, 3))
    django_tasks.run()

    [notice] = [m for m in mail.outbox if m.to == [agent.user.email]]
    assert "article L. 231-4, 5° du code des relations" in notice.body
    assert REMEDIES in notice.body
    assert "avant le" not in notice.body


def test_the_request_page_states_the_remedies_of_a_refusal(client, agent):
    review_request = ReviewRequestFactory(agent=agent, status="refusee", refusal_reason="Non.")
    client.force_login(agent.user)

    response = client.get(reverse("requests:detail", args=[review_request.pk]))

    assert REMEDIES in response.text
    assert JOINT_COMMITTEE in response.text


def test_the_request_page_states_the_remedies_of_an_implicit_rejection(client, agent):
    review_request = ReviewRequestFactory(agent=agent, overdue=True)
    client.force_login(agent.user)

    response = client.get(reverse("requests:detail", args=[review_request.pk]))

    assert REMEDIES in response.text


def test_a_running_request_states_no_remedy(client, agent):
    review_request = ReviewRequestFactory(agent=agent)
    client.force_login(agent.user)

    response = client.get(reverse("requests:detail", args=[review_request.pk]))

    assert "recours contentieux" not in response.text


def test_the_deciders_e_mail_and_hr_page_say_au_plus_tard_le(agent, django_tasks, client):
    hr = RoleFactory(role=Role.HR, organisation=agent.organisation).user
    ReviewRequestFactory(agent=agent, postponement_requested=True)
    services.submit_request(
        agent=AgentFactory(manager=agent.manager, organisation=agent.organisation),
        needs="Évoluer.",
    )
    client.force_login(hr)

    response = client.get(reverse("portals:hr"))

    [to_decide] = mails_to(django_tasks, agent.manager)
    assert "réponse attendue au plus tard le" in to_decide["subject"]
    assert "à décider au plus tard le" in response.text
    assert "avant le" not in response.text
