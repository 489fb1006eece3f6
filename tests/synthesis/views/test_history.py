"""The history on the synthesis page: what happened, by whom, when; never the content."""

import pytest
from django.urls import reverse

from bpp.people.models import Role
from synthesis.models import grant
from tests.people.factories import RoleFactory
from tests.synthesis.factories import SAMPLE_CONTENT, SynthesisFactory, leader_of

pytestmark = pytest.mark.django_db


def history_of(page) -> str:
    """The part of the page after the "Historique" title."""
    text = page.content.decode()
    return text[text.index(">Historique<") :]


def test_the_agent_and_the_leader_see_who_finalised_and_signed(client):
    synthesis = SynthesisFactory(signed=True)
    agent, leader = synthesis.enrolment.agent.user, leader_of(synthesis)

    for user in (agent, leader):
        client.force_login(user)
        history = history_of(client.get(reverse("synthesis:detail", args=[synthesis.pk])))

        assert "Finalisée par l’agent" in history
        assert "Signée par l’agent" in history
        assert "Signée par le professionnel qui accompagne" in history
        assert f"par {leader}" in history


def test_a_reader_under_consent_sees_the_history_without_the_content(client):
    synthesis = SynthesisFactory(finalised=True)
    grant(synthesis, "rh")
    hr = RoleFactory(role=Role.HR, organisation=synthesis.enrolment.agent.organisation).user
    client.force_login(hr)

    history = history_of(client.get(reverse("synthesis:detail", args=[synthesis.pk])))

    assert "Finalisée par l’agent" in history
    assert SAMPLE_CONTENT["sections"]["needs"] not in history


def test_the_destroyed_page_shows_only_the_destruction(client):
    synthesis = SynthesisFactory(signed=True)
    synthesis.destroy()
    client.force_login(synthesis.enrolment.agent.user)

    history = history_of(client.get(reverse("synthesis:detail", args=[synthesis.pk])))

    assert "Détruite à la demande de l’agent" in history
    assert f"par {synthesis.enrolment.agent.user}" in history
    assert "Signée" not in history and "Finalisée" not in history
