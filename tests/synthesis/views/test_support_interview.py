"""The support interview: the agent asks while finalising their synthesis, one request at
a time; a leader schedules it (the agent is convoked) or declines it with a message."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from bpp.people.models import Role
from cohorts.models import Session, SessionKind
from synthesis.models import SupportRequest, SupportRequestError
from synthesis.services import ask_support, schedule_support_interview
from tests.people.factories import RoleFactory, UserFactory
from tests.synthesis.factories import SynthesisFactory, in_phase_4, leader_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def synthesis():
    synthesis = SynthesisFactory(written=True)
    in_phase_4(synthesis.enrolment.cohort)
    return synthesis


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def agent_of(synthesis):
    return synthesis.enrolment.agent.user


def schedule_data(**overrides) -> dict:
    return {
        "action": "programmer",
        "starts_at": "2027-03-30T10:00",  # a Tuesday
        "duration_minutes": 60,
        "place": "Tour Séquoia, bureau 4",
        "video_link": "",
    } | overrides


def test_the_agent_asks_and_the_leaders_are_told(synthesis, django_tasks):
    leader = leader_of(synthesis)
    client = login(agent_of(synthesis))
    url = reverse("synthesis:support_ask", args=[synthesis.pk])

    response = client.post(url, {"message": "Je bloque sur la partie 3."}, follow=True)

    assert "Votre demande est transmise" in response.text
    support = SupportRequest.objects.get()
    assert support.is_open and support.message == "Je bloque sur la partie 3."
    [mail] = django_tasks.emails()
    assert mail["to"] == [leader.email]
    assert "Je bloque" not in mail["text"]  # the agent's words stay in the application
    assert reverse("synthesis:support_answer", args=[support.pk]) in mail["text"]


def test_one_open_request_at_a_time(synthesis):
    leader_of(synthesis)
    client = login(agent_of(synthesis))
    url = reverse("synthesis:support_ask", args=[synthesis.pk])
    client.post(url, {"message": ""})

    response = client.post(url, {"message": "Encore"}, follow=True)

    assert "Vous avez déjà demandé un entretien d’appui" in response.text
    assert SupportRequest.objects.count() == 1


def test_no_request_once_the_synthesis_is_signed():
    synthesis = SynthesisFactory(signed=True)

    response = login(agent_of(synthesis)).post(
        reverse("synthesis:support_ask", args=[synthesis.pk]), {"message": ""}, follow=True
    )

    assert "Votre synthèse est signée" in response.text
    assert not SupportRequest.objects.exists()


def test_no_request_before_the_cohort_starts():
    synthesis = SynthesisFactory()

    page = login(agent_of(synthesis)).get(reverse("synthesis:support_ask", args=[synthesis.pk]))

    assert "Votre promotion n’a pas encore commencé." in page.text


def test_the_leader_sees_the_ask_and_schedules_it(synthesis, django_tasks):
    leader = leader_of(synthesis)
    support = ask_support(synthesis=synthesis, message="")
    django_tasks.clear()
    cohort_page = login(leader).get(
        reverse("synthesis:cohort", args=[synthesis.enrolment.cohort_id])
    )

    response = login(leader).post(
        reverse("synthesis:support_answer", args=[support.pk]), schedule_data(), follow=True
    )

    assert reverse("synthesis:support_answer", args=[support.pk]) in cohort_page.text
    assert "L’entretien d’appui est programmé" in response.text
    support.refresh_from_db()
    session = Session.objects.get()
    assert support.session == session and support.decided_by == leader
    assert session.kind == SessionKind.SUPPORT_INTERVIEW and session.phase == 4
    assert list(session.participants.all()) == [synthesis.enrolment]
    [mail] = django_tasks.emails()
    assert mail["to"] == [agent_of(synthesis).email]
    assert "Entretien d’appui" in mail["text"]


def test_an_interview_outside_working_time_is_refused_on_the_form(synthesis):
    leader = leader_of(synthesis)
    support = ask_support(synthesis=synthesis, message="")

    response = login(leader).post(
        reverse("synthesis:support_answer", args=[support.pk]),
        schedule_data(starts_at="2027-03-28T10:00"),  # a Sunday
    )

    assert response.status_code == 200
    assert "dimanche" in response.text
    support.refresh_from_db()
    assert support.is_open and not Session.objects.exists()


def test_the_leader_declines_with_a_message(synthesis, django_tasks):
    leader = leader_of(synthesis)
    support = ask_support(synthesis=synthesis, message="")
    django_tasks.clear()
    url = reverse("synthesis:support_answer", args=[support.pk])

    empty = login(leader).post(url, {"action": "decliner", "decline_message": ""})
    login(leader).post(url, {"action": "decliner", "decline_message": "Voyons-nous jeudi."})

    assert "Dites à l’agent pourquoi vous déclinez sa demande." in empty.text
    support.refresh_from_db()
    assert support.status == SupportRequest.Status.DECLINED
    [mail] = django_tasks.emails()
    assert mail["to"] == [agent_of(synthesis).email]
    assert "Voyons-nous jeudi." in mail["text"]
    # Declined: the agent may ask again.
    assert SupportRequest.asking_refusal(synthesis) is None


def test_the_second_leader_to_answer_is_told_someone_did(synthesis, django_tasks):
    first = leader_of(synthesis)
    second = RoleFactory(role=Role.CMC, organisation=synthesis.enrolment.cohort.organisation).user
    synthesis.enrolment.cohort.leaders.add(second)
    support = ask_support(synthesis=synthesis, message="")
    stale = SupportRequest.objects.get(pk=support.pk)
    url = reverse("synthesis:support_answer", args=[support.pk])
    login(first).post(url, {"action": "decliner", "decline_message": "Pas cette semaine."})

    with pytest.raises(SupportRequestError, match="Un autre animateur a déjà répondu"):
        schedule_support_interview(
            support=stale,
            by=second,
            starts_at=datetime.datetime(2027, 3, 30, 8, tzinfo=datetime.UTC),
            duration_minutes=60,
            place="Bureau 4",
            video_link="",
        )
    response = login(second).post(url, schedule_data(), follow=True)

    assert not Session.objects.exists()
    assert "Déclinée" in response.text


@pytest.mark.parametrize("who", ["stranger", "agent", "manager"])
def test_only_the_leaders_answer(synthesis, who):
    leader_of(synthesis)
    support = ask_support(synthesis=synthesis, message="")
    user = {
        "stranger": UserFactory(),
        "agent": agent_of(synthesis),
        "manager": RoleFactory(
            role=Role.MANAGER, organisation=synthesis.enrolment.cohort.organisation
        ).user,
    }[who]

    response = login(user).post(
        reverse("synthesis:support_answer", args=[support.pk]), schedule_data()
    )

    assert response.status_code == 404
    assert not Session.objects.exists()


def test_only_the_agent_asks(synthesis):
    response = login(leader_of(synthesis)).post(
        reverse("synthesis:support_ask", args=[synthesis.pk]), {"message": ""}
    )

    assert response.status_code == 404
    assert not SupportRequest.objects.exists()


def test_the_leader_s_home_page_lists_the_asks(synthesis):
    leader = leader_of(synthesis)
    support = ask_support(synthesis=synthesis, message="")

    page = login(leader).get(reverse("portals:cmc"))

    assert reverse("synthesis:support_answer", args=[support.pk]) in page.text


def test_no_interview_for_an_agent_who_left_the_cohort(synthesis):
    leader = leader_of(synthesis)
    support = ask_support(synthesis=synthesis, message="")
    type(synthesis.enrolment).objects.filter(pk=synthesis.enrolment.pk).update(
        withdrawn_at=datetime.datetime(2027, 3, 1, tzinfo=datetime.UTC)
    )

    response = login(leader).post(
        reverse("synthesis:support_answer", args=[support.pk]), schedule_data(), follow=True
    )

    assert "L’agent a quitté la promotion" in response.text
    assert not Session.objects.exists()
    assert SupportRequest.asking_refusal(SupportRequest.objects.get().synthesis) == (
        "Vous ne suivez plus cette promotion."
    )
