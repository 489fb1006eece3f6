"""The orientation chosen at conclusion (4.2 of the synthesis): written like any section,
then, once both have signed, the one word of the document the indicators may count."""

import copy

import pytest
from django.urls import reverse

from synthesis.models import Orientation, Synthesis
from tests.synthesis.factories import (
    SAMPLE_CONTENT,
    SynthesisFactory,
    finalise,
    in_phase_4,
    leader_of,
    sign_both,
)
from tests.synthesis.views.test_writing import form_data

pytestmark = pytest.mark.django_db


def with_orientation(value: str) -> dict:
    content = copy.deepcopy(SAMPLE_CONTENT)
    content["orientation"] = value
    return content


def test_the_agent_chooses_the_orientation_in_the_conclusion(client):
    synthesis = SynthesisFactory()
    client.force_login(synthesis.enrolment.agent.user)
    url = reverse("synthesis:edit", args=[synthesis.pk])

    editor = client.get(url).text
    client.post(url, form_data(0, orientation="immersion"))

    assert "4.2. Orientation retenue" in editor
    assert "Votre employeur n’en connaît que le décompte" in editor
    synthesis.refresh_from_db()
    assert synthesis.current().content["orientation"] == "immersion"
    document = client.get(reverse("synthesis:detail", args=[synthesis.pk])).text
    assert "Période d’immersion professionnelle" in document
    assert synthesis.orientation == ""  # not signed: nothing outside the document


def test_an_orientation_outside_the_list_is_refused_and_nothing_is_saved(client):
    synthesis = SynthesisFactory()
    client.force_login(synthesis.enrolment.agent.user)

    response = client.post(
        reverse("synthesis:edit", args=[synthesis.pk]), form_data(0, orientation="retraite")
    )

    assert response.status_code == 200
    assert "Choisissez une orientation de la liste." in response.text
    assert not synthesis.versions.exists()


def test_finalising_lists_it_when_not_chosen(client):
    synthesis = SynthesisFactory(written=True)
    finalise_url = reverse("synthesis:finalise", args=[synthesis.pk])
    client.force_login(synthesis.enrolment.agent.user)
    in_phase_4(synthesis.enrolment.cohort)

    assert "4.2. Orientation retenue" in client.get(finalise_url).text


def test_the_second_signature_copies_it_out_of_the_document():
    synthesis = SynthesisFactory(written=True, _content=with_orientation("mobilite"))
    finalise(synthesis)
    agent = synthesis.enrolment.agent.user
    synthesis.sign(by=agent, capacity="agent")

    assert Synthesis.objects.get(pk=synthesis.pk).orientation == ""  # one signature
    synthesis.sign(by=leader_of(synthesis), capacity="animateur")
    assert Synthesis.objects.get(pk=synthesis.pk).orientation == Orientation.MOBILITY


def test_reopening_or_destroying_takes_it_back():
    reopened = SynthesisFactory(written=True, _content=with_orientation("cep"))
    finalise(reopened)
    sign_both(reopened)
    destroyed = SynthesisFactory(written=True, _content=with_orientation("cep"))
    finalise(destroyed)
    sign_both(destroyed)

    assert Synthesis.objects.filter(orientation=Orientation.CAREER_ADVICE).count() == 2
    reopened.reopen()
    destroyed.destroy()

    assert Synthesis.objects.get(pk=reopened.pk).orientation == ""
    assert Synthesis.objects.get(pk=destroyed.pk).orientation == ""


def test_a_document_without_an_orientation_is_signed_without_one():
    synthesis = SynthesisFactory(signed=True)

    assert synthesis.status == "signee"
    assert Synthesis.objects.get(pk=synthesis.pk).orientation == ""
