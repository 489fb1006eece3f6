"""The agent's programme and workbook: answers are theirs alone unless they show one to
the leader; an answer is copied into the synthesis draft, appended, never over newer work."""

import datetime
import uuid

import pytest
from django.contrib import admin
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cohorts.models import (
    ANSWER_MAX_LENGTH,
    Cohort,
    Enrolment,
    ExerciseAnswer,
    ProgrammeDelivery,
    ProgrammeItem,
)
from synthesis.models import Synthesis, SynthesisDraft
from tests.clock import paris
from tests.cohorts.factories import CohortFactory, EnrolmentFactory
from tests.people.factories import RoleFactory
from tests.synthesis.factories import SynthesisFactory

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def national(title: str) -> ProgrammeItem:
    return ProgrammeItem.objects.national().get(title=title)


@pytest.fixture
def enrolment() -> Enrolment:
    """An agent in phase 2 of a cohort led by a CMC, their synthesis written."""
    cohort = CohortFactory(phases=datetime.date(2027, 1, 11))
    enrolment = EnrolmentFactory(
        cohort=cohort, contract_signed_at=paris(2027, 1, 12), contract_version="1"
    )
    Cohort.objects.filter(pk=cohort.pk).update(current_phase=2, seats_taken=1)
    cohort.leaders.add(RoleFactory(role="cmc", organisation=cohort.organisation).user)
    SynthesisFactory(enrolment=enrolment, written=True)
    return enrolment


def send(item: ProgrammeItem, enrolment: Enrolment) -> ProgrammeItem:
    ProgrammeDelivery.objects.create(
        item=item, enrolment=enrolment, sent_at=paris(2027, 2, 3), run=uuid.uuid4()
    )
    return item


def answer(enrolment: Enrolment, item: ProgrammeItem, text: str) -> ExerciseAnswer:
    return ExerciseAnswer.write(enrolment=enrolment, item=item, text=text, now=timezone.now())


def agent(enrolment: Enrolment) -> Client:
    return client_of(enrolment.agent.user)


def leader(enrolment: Enrolment) -> Client:
    return client_of(enrolment.cohort.leaders.get())


def test_the_agent_reads_their_programme_with_what_was_sent(enrolment):
    send(national("Le sens de mon métier"), enrolment)

    page = agent(enrolment).get(reverse("portals:programme")).content.decode()

    assert "Phase 2 : Appui à l’analyse du parcours professionnel" in page
    assert "Envoyé le 3 février 2027" in page
    assert "2 jours après la première séance collective de la phase" in page
    assert "alimente la section 2.2.3 « Les motivations » de votre synthèse" in page
    assert reverse("portals:exercise", args=[national("Le sens de mon métier").pk]) in page


def test_the_agent_turns_the_programme_messages_off(enrolment):
    response = agent(enrolment).post(reverse("portals:programme"), {})

    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.programme_messages is False


def test_an_exercise_not_sent_yet_is_not_open(enrolment):
    # The cohort has no session: an exercise anchored on the first one has no date yet.
    exercise = national("Le sens de mon métier")
    response = agent(enrolment).get(reverse("portals:exercise", args=[exercise.pk]))
    assert response.status_code == 404


def test_the_agent_answers_then_rewrites(enrolment):
    exercise = send(national("Le sens de mon métier"), enrolment)
    url = reverse("portals:exercise", args=[exercise.pk])

    agent(enrolment).post(url, {"text": "Servir."})
    agent(enrolment).post(url, {"text": "Servir le public, avec d’autres."})

    assert ExerciseAnswer.objects.get().text == "Servir le public, avec d’autres."
    assert ExerciseAnswer.objects.get().is_shown is False


def test_an_answer_too_long_is_refused_and_nothing_changes(enrolment):
    exercise = send(national("Le sens de mon métier"), enrolment)

    response = agent(enrolment).post(
        reverse("portals:exercise", args=[exercise.pk]), {"text": "x" * (ANSWER_MAX_LENGTH + 1)}
    )

    assert response.status_code == 200
    assert "10000 caractères" in response.content.decode()
    assert not ExerciseAnswer.objects.exists()


def test_the_leader_reads_only_the_answers_shown_to_them(enrolment):
    exercise = send(national("Le sens de mon métier"), enrolment)
    answer(enrolment, exercise, "Une réponse montrée")
    other = EnrolmentFactory(
        cohort=enrolment.cohort, contract_signed_at=paris(2027, 1, 12), contract_version="1"
    )
    send(exercise, other)
    answer(other, exercise, "Une réponse gardée pour soi")
    page_url = reverse("portals:cohort_programme", args=[enrolment.cohort.pk])

    assert "Une réponse montrée" not in leader(enrolment).get(page_url).content.decode()
    agent(enrolment).post(reverse("portals:show_answer", args=[exercise.pk]), {"show": "on"})
    page = leader(enrolment).get(page_url).content.decode()
    assert "Une réponse montrée" in page
    assert "Une réponse gardée pour soi" not in page

    agent(enrolment).post(reverse("portals:show_answer", args=[exercise.pk]), {})
    assert "Une réponse montrée" not in leader(enrolment).get(page_url).content.decode()


def test_nobody_else_reads_an_answer(enrolment):
    exercise = send(national("Le sens de mon métier"), enrolment)
    answer(enrolment, exercise, "Secret")
    ExerciseAnswer.objects.update(shown_to_leader_at=timezone.now())
    cohort = enrolment.cohort
    other = EnrolmentFactory(
        cohort=cohort, contract_signed_at=paris(2027, 1, 12), contract_version="1"
    )
    send(exercise, other)
    hr = RoleFactory(role="hr", organisation=cohort.organisation).user
    manager = enrolment.agent.manager

    # Another agent of the cohort reads their own page of the exercise, empty.
    assert (
        "Secret"
        not in agent(other).get(reverse("portals:exercise", args=[exercise.pk])).content.decode()
    )
    assert agent(other).post(reverse("portals:copy_answer", args=[exercise.pk])).status_code == 404
    for user in (hr, manager):
        if user is None:
            continue
        response = client_of(user).get(reverse("portals:cohort_programme", args=[cohort.pk]))
        assert response.status_code in (403, 404)
    # The admin site holds no answer.
    assert ExerciseAnswer not in admin.site._registry


def test_an_agent_who_left_no_longer_opens_their_workbook(enrolment):
    exercise = send(national("Le sens de mon métier"), enrolment)
    answer(enrolment, exercise, "Avant de partir")
    Enrolment.objects.filter(pk=enrolment.pk).update(withdrawn_at=timezone.now())

    response = agent(enrolment).get(reverse("portals:exercise", args=[exercise.pk]))
    assert response.status_code == 404
    page = leader(enrolment).get(reverse("portals:cohort_programme", args=[enrolment.cohort.pk]))
    assert "Avant de partir" not in page.content.decode()


# Copying into the synthesis ---------------------------------------------------------------


def draft_of(enrolment: Enrolment) -> SynthesisDraft:
    return SynthesisDraft.objects.get(synthesis__enrolment=enrolment)


def test_copying_appends_the_answer_to_the_section_in_the_agents_draft(enrolment):
    exercise = send(national("Mes compétences"), enrolment)  # feeds 2.3.4
    answer(enrolment, exercise, "  Conduite du changement.  ")
    synthesis = Synthesis.objects.get(enrolment=enrolment)

    response = agent(enrolment).post(reverse("portals:copy_answer", args=[exercise.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("synthesis:edit", args=[synthesis.pk])
    draft = draft_of(enrolment)
    assert draft.content["sections"]["skills_to_acquire"] == (
        "Méthodes agiles.\n\nConduite du changement."
    )
    assert draft.content["sections"]["needs"].startswith("Évoluer")  # the rest untouched
    assert draft.based_on == synthesis.version == 1
    synthesis.refresh_from_db()
    assert synthesis.version == 1  # a draft, not a version: the agent rereads and saves
    editor = agent(enrolment).get(response["Location"]).content.decode()
    assert "Conduite du changement." in editor


def test_copying_twice_does_not_repeat_the_answer(enrolment):
    exercise = send(national("Mes compétences"), enrolment)
    answer(enrolment, exercise, "Conduite du changement.")
    url = reverse("portals:copy_answer", args=[exercise.pk])
    agent(enrolment).post(url)

    response = agent(enrolment).post(url, follow=True)

    assert "figure déjà dans la section 2.3.4" in response.content.decode()
    assert draft_of(enrolment).revision == 1


def test_copying_adds_to_an_existing_draft_without_losing_it(enrolment):
    exercise = send(national("Mes compétences"), enrolment)
    answer(enrolment, exercise, "Conduite du changement.")
    synthesis = Synthesis.objects.get(enrolment=enrolment)
    synthesis.save_draft(
        by=enrolment.agent.user,
        based_on=1,
        revision=0,
        content={"sections": {"needs": "Un brouillon en cours."}},
        personal_situation="",
    )

    agent(enrolment).post(reverse("portals:copy_answer", args=[exercise.pk]))

    draft = draft_of(enrolment)
    assert draft.revision == 2
    assert draft.content["sections"] == {
        "needs": "Un brouillon en cours.",
        "skills_to_acquire": "Conduite du changement.",
    }


def test_a_draft_older_than_the_latest_version_is_never_overwritten(enrolment):
    exercise = send(national("Mes compétences"), enrolment)
    answer(enrolment, exercise, "Conduite du changement.")
    synthesis = Synthesis.objects.get(enrolment=enrolment)
    synthesis.save_draft(
        by=enrolment.agent.user,
        based_on=1,
        revision=0,
        content={"sections": {"needs": "Écrit sur la version 1."}},
        personal_situation="",
    )
    # The leader saves version 2 meanwhile.
    synthesis.save_version(
        by=enrolment.cohort.leaders.get(),
        based_on=1,
        content={"sections": {"needs": "Version 2."}},
        personal_situation="",
    )

    response = agent(enrolment).post(
        reverse("portals:copy_answer", args=[exercise.pk]), follow=True
    )

    assert "version plus ancienne" in response.content.decode()
    assert draft_of(enrolment).content["sections"] == {"needs": "Écrit sur la version 1."}


def test_a_finalised_synthesis_takes_no_copy(enrolment):
    exercise = send(national("Mes compétences"), enrolment)
    answer(enrolment, exercise, "Conduite du changement.")
    Synthesis.objects.filter(enrolment=enrolment).update(
        status="finalisee", finalised_at=timezone.now()
    )

    response = agent(enrolment).post(
        reverse("portals:copy_answer", args=[exercise.pk]), follow=True
    )

    assert "rouvrez-la" in response.content.decode()
    assert not SynthesisDraft.objects.exists()


def test_an_exercise_that_feeds_no_section_offers_no_copy(enrolment):
    exercise = send(national("Préparer ma restitution au groupe"), enrolment)
    answer(enrolment, exercise, "Mes objectifs.")

    page = agent(enrolment).get(reverse("portals:exercise", args=[exercise.pk])).content.decode()
    response = agent(enrolment).post(
        reverse("portals:copy_answer", args=[exercise.pk]), follow=True
    )

    assert "Copier dans ma synthèse" not in page
    assert "n’alimente aucune section" in response.content.decode()


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_pages_run_as_many_queries_whatever_the_answers(enrolment):
    exercises = list(ProgrammeItem.objects.national().filter(kind="exercice"))
    leader_page = reverse("portals:cohort_programme", args=[enrolment.cohort.pk])
    send(exercises[0], enrolment)
    answer(enrolment, exercises[0], "Une")
    ExerciseAnswer.objects.update(shown_to_leader_at=timezone.now())
    few = (
        _queries(agent(enrolment), reverse("portals:programme")),
        _queries(leader(enrolment), leader_page),
    )

    for exercise in exercises[1:]:
        send(exercise, enrolment)
        answer(enrolment, exercise, "Une autre")
    for _ in range(3):
        other = EnrolmentFactory(
            cohort=enrolment.cohort, contract_signed_at=paris(2027, 1, 12), contract_version="1"
        )
        for exercise in exercises:
            answer(other, exercise, "Encore une")
    ExerciseAnswer.objects.update(shown_to_leader_at=timezone.now())
    many = (
        _queries(agent(enrolment), reverse("portals:programme")),
        _queries(leader(enrolment), leader_page),
    )

    assert many == few
    assert few[0] <= 16 and few[1] <= 16, few


def test_without_a_synthesis_nothing_is_copied(enrolment):
    exercise = send(national("Mes compétences"), enrolment)
    answer(enrolment, exercise, "Conduite du changement.")
    Synthesis.objects.filter(enrolment=enrolment).delete()

    response = agent(enrolment).post(
        reverse("portals:copy_answer", args=[exercise.pk]), follow=True
    )

    assert "pas encore ouvert" in response.content.decode()
    assert not SynthesisDraft.objects.exists()


def test_an_answer_shown_to_the_leader_goes_with_the_leadership_not_with_a_role(enrolment):
    """An administrator who removes the leader, or gives someone the CMC or HR admin role
    of the employer, changes who reads a shown answer only through who leads the cohort."""
    exercise = send(national("Le sens de mon métier"), enrolment)
    answer(enrolment, exercise, "Une réponse montrée")
    agent(enrolment).post(reverse("portals:show_answer", args=[exercise.pk]), {"show": "on"})
    cohort = enrolment.cohort
    former = cohort.leaders.get()
    newcomer = RoleFactory(role="cmc", organisation=cohort.organisation).user
    RoleFactory(role="hr_admin", user=newcomer, organisation=cohort.organisation)
    page_url = reverse("portals:cohort_programme", args=[cohort.pk])

    assert "Une réponse montrée" not in client_of(newcomer).get(page_url).content.decode()
    cohort.leaders.remove(former)
    assert "Une réponse montrée" not in client_of(former).get(page_url).content.decode()
    cohort.leaders.add(newcomer)
    assert "Une réponse montrée" in client_of(newcomer).get(page_url).content.decode()
