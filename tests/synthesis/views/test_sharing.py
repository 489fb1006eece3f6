"""Nobody reads a synthesis without the agent's consent; every read is recorded."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from bpp.people.models import Role
from synthesis.models import AccessRecord, Basis, Consent, grant, revoke
from tests.people.factories import AgentFactory, RoleFactory
from tests.synthesis.factories import SAMPLE_CONTENT, SynthesisFactory, leader_of
from tests.test_permission_matrix import ALL_CASES

pytestmark = pytest.mark.django_db

MARKER = "MARQUEUR-CONFIDENTIEL-7f3a"
PERSONAL = "SANTE-SECRETE-91c2"


def text_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type") == "application/pdf":
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return content.decode(errors="replace")


def marked(synthesis):
    content = {
        **SAMPLE_CONTENT,
        "sections": {key: f"{MARKER} {text}" for key, text in SAMPLE_CONTENT["sections"].items()},
    }
    synthesis.save_version(
        by=synthesis.enrolment.agent.user,
        based_on=synthesis.version,
        content=content,
        personal_situation=PERSONAL,
    )
    return synthesis


@pytest.fixture
def shared_world(world):
    """The world's synthesis, marked, its agent managed by the world's manager."""
    agent = world.synthesis.enrolment.agent
    agent.manager = world.users["manager"]
    agent.save()
    marked(world.synthesis)
    return world


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "persona", ["manager", "hr", "hr_admin", "disability_officer", "agent", "provider"]
)
def test_without_consent_no_page_of_the_project_shows_a_byte_of_it(shared_world, persona):
    client = shared_world.client(persona)
    for name, case in ALL_CASES.items():
        url = case.url(shared_world) if case.url else reverse(name)
        response = getattr(client, case.method)(url, case.data)
        assert MARKER not in text_of(response), f"{persona} read it on {name}"
        assert PERSONAL not in text_of(response), f"{persona} read 2.5 on {name}"


def test_with_consent_the_manager_reads_it_without_the_personal_situation(shared_world):
    synthesis = shared_world.synthesis
    grant(synthesis, "manager")
    client = shared_world.client("manager")

    page = client.get(reverse("synthesis:detail", args=[synthesis.pk]))
    pdf = client.get(reverse("synthesis:pdf", args=[synthesis.pk]))

    assert page.status_code == 200 and MARKER in text_of(page)
    assert PERSONAL not in text_of(page)
    assert pdf.status_code == 200 and MARKER in text_of(pdf).replace("\n", " ")
    assert PERSONAL not in text_of(pdf)
    reads = list(AccessRecord.objects.filter(synthesis=synthesis).order_by("pk"))
    assert [(r.reader, r.basis, r.format) for r in reads] == [
        (shared_world.users["manager"], Basis.MANAGER, "page"),
        (shared_world.users["manager"], Basis.MANAGER, "pdf"),
    ]
    assert all(r.consent == Consent.objects.live().get() for r in reads)


def test_a_revocation_takes_effect_at_once(shared_world):
    synthesis = shared_world.synthesis
    grant(synthesis, "manager")
    client = shared_world.client("manager")
    assert client.get(reverse("synthesis:detail", args=[synthesis.pk])).status_code == 200

    revoke(synthesis, "manager")

    assert client.get(reverse("synthesis:detail", args=[synthesis.pk])).status_code == 404
    assert client.get(reverse("synthesis:pdf", args=[synthesis.pk])).status_code == 404


def test_a_consent_to_hr_is_not_one_to_the_manager(shared_world):
    synthesis = shared_world.synthesis
    grant(synthesis, "rh")

    assert (
        shared_world.client("manager")
        .get(reverse("synthesis:detail", args=[synthesis.pk]))
        .status_code
        == 404
    )
    assert (
        shared_world.client("hr").get(reverse("synthesis:detail", args=[synthesis.pk])).status_code
        == 200
    )
    # Never the HR admin, even with HR's consent.
    assert (
        shared_world.client("hr_admin")
        .get(reverse("synthesis:detail", args=[synthesis.pk]))
        .status_code
        == 404
    )


def test_hr_of_another_employer_reads_nothing_even_with_consent():
    synthesis = SynthesisFactory(signed=True)
    grant(synthesis, "rh")
    stranger = RoleFactory(role=Role.HR).user

    response = login(stranger).get(reverse("synthesis:detail", args=[synthesis.pk]))

    assert response.status_code == 404


def test_a_former_manager_loses_access_when_the_agent_changes_team():
    synthesis = SynthesisFactory(signed=True)
    agent = synthesis.enrolment.agent
    former = RoleFactory(role=Role.MANAGER, organisation=agent.organisation).user
    agent.manager = former
    agent.save()
    grant(synthesis, "manager")
    agent.manager = RoleFactory(role=Role.MANAGER, organisation=agent.organisation).user
    agent.save()

    response = login(former).get(reverse("synthesis:detail", args=[synthesis.pk]))

    assert response.status_code == 404


def test_the_agent_shares_revokes_and_sees_who_read_it(client):
    synthesis = SynthesisFactory(signed=True)
    manager = RoleFactory(role=Role.MANAGER, organisation=synthesis.enrolment.agent.organisation)
    agent = synthesis.enrolment.agent
    agent.manager = manager.user
    agent.save()
    client.force_login(agent.user)
    url = reverse("synthesis:sharing", args=[synthesis.pk])

    response = client.post(url, {"audience": "manager", "action": "grant"}, follow=True)
    assert "peut désormais lire" in response.content.decode()
    login(manager.user).get(reverse("synthesis:detail", args=[synthesis.pk]))
    page = client.get(url).content.decode()
    assert manager.user.get_full_name() in page and "avec votre accord" in page

    client.post(url, {"audience": "manager", "action": "revoke"})
    assert not Consent.objects.live().exists()


def test_the_agent_s_own_reads_are_not_recorded(client):
    synthesis = SynthesisFactory(signed=True)
    client.force_login(synthesis.enrolment.agent.user)

    client.get(reverse("synthesis:detail", args=[synthesis.pk]))
    client.get(reverse("synthesis:pdf", args=[synthesis.pk]))

    assert not AccessRecord.objects.exists()


def test_the_leader_s_reads_are_recorded_as_such(client):
    synthesis = SynthesisFactory(written=True)
    client.force_login(leader_of(synthesis))

    client.get(reverse("synthesis:detail", args=[synthesis.pk]))

    assert AccessRecord.objects.get().basis == Basis.LEADER


def test_a_hostile_sharing_request_changes_nothing(client):
    synthesis = SynthesisFactory(signed=True)
    client.force_login(synthesis.enrolment.agent.user)

    response = client.post(
        reverse("synthesis:sharing", args=[synthesis.pk]),
        {"audience": "everyone", "action": "grant"},
        follow=True,
    )

    assert "rien n’a changé" in response.content.decode()
    assert not Consent.objects.exists()


def test_nobody_but_the_agent_manages_the_sharing():
    synthesis = SynthesisFactory(signed=True)
    other = AgentFactory(organisation=synthesis.enrolment.agent.organisation).user

    for user in (leader_of(synthesis), other):
        response = login(user).post(
            reverse("synthesis:sharing", args=[synthesis.pk]),
            {"audience": "manager", "action": "grant"},
        )
        assert response.status_code == 404
    assert not Consent.objects.exists()


def test_every_page_showing_the_content_to_the_leader_is_recorded(client):
    synthesis = SynthesisFactory(finalised=True)
    client.force_login(leader_of(synthesis))

    for name, args in [
        ("synthesis:detail", [synthesis.pk]),
        ("synthesis:version", [synthesis.pk, 1]),
        ("synthesis:sign", [synthesis.pk]),
    ]:
        client.get(reverse(name, args=args))

    assert AccessRecord.objects.filter(basis=Basis.LEADER).count() == 3
