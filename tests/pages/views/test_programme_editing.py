"""The leader edits their cohort's programme, the HR admin their employer's: a cohort follows
its own, else its employer's, else the national one; what was sent and answered follows."""

import datetime
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cohorts.jobs import send_programme
from cohorts.models import (
    Cohort,
    ExerciseAnswer,
    ProgrammeDelivery,
    ProgrammeItem,
    Scope,
    effective_items,
    effective_scope,
)
from tests.clock import paris
from tests.cohorts.factories import CohortFactory, EnrolmentFactory
from tests.people.factories import RoleFactory

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def cohort() -> Cohort:
    cohort = CohortFactory(phases=datetime.date(2027, 1, 11))
    Cohort.objects.filter(pk=cohort.pk).update(current_phase=2, seats_taken=1)
    cohort.refresh_from_db()
    cohort.leaders.add(RoleFactory(role="cmc", organisation=cohort.organisation).user)
    return cohort


@pytest.fixture
def leader(cohort) -> Client:
    return client_of(cohort.leaders.get())


@pytest.fixture
def hr_admin(cohort) -> Client:
    return client_of(RoleFactory(role="hr_admin", organisation=cohort.organisation).user)


def item_data(**fields) -> dict:
    return {
        "phase": 2,
        "anchor": "debut_phase",
        "offset_days": 4,
        "kind": "exercice",
        "title": "Mon réseau",
        "body": "Qui connaissez-vous dans le métier visé ?",
        "section": "paths",
    } | fields


def test_a_cohort_follows_the_national_programme_until_customised(cohort, leader):
    page = leader.get(reverse("portals:cohort_programme", args=[cohort.pk])).content.decode()
    assert "Celui-ci suit : <strong>programme national</strong>" in page
    assert "Personnaliser ce programme" in page

    leader.post(reverse("portals:cohort_programme_customise", args=[cohort.pk]))

    assert effective_scope(cohort) == Scope.COHORT
    assert [i.title for i in effective_items(cohort)] == [
        i.title for i in ProgrammeItem.objects.national().in_order()
    ]


def test_customising_carries_what_was_sent_and_answered(cohort, leader):
    enrolment = EnrolmentFactory(
        cohort=cohort, contract_signed_at=paris(2027, 1, 12), contract_version="1"
    )
    exercise = ProgrammeItem.objects.national().get(title="Le sens de mon métier")
    ProgrammeDelivery.objects.create(
        item=exercise, enrolment=enrolment, sent_at=timezone.now(), run=uuid.uuid4()
    )
    ExerciseAnswer.write(enrolment=enrolment, item=exercise, text="Servir.", now=timezone.now())

    leader.post(reverse("portals:cohort_programme_customise", args=[cohort.pk]))

    copy = ProgrammeItem.objects.of_cohort(cohort).get(title="Le sens de mon métier")
    assert ExerciseAnswer.objects.get().item == copy
    assert ProgrammeDelivery.objects.get().item == copy
    # The agent still finds their answer, from the link of the message sent before too;
    # and the job does not send the copy again.
    agent = client_of(enrolment.agent.user)
    old_link = agent.get(reverse("portals:exercise", args=[exercise.pk]))
    assert old_link["Location"] == reverse("portals:exercise", args=[copy.pk])
    assert "Servir." in agent.get(old_link["Location"]).content.decode()
    send_programme(now=paris(2027, 2, 3))
    assert ProgrammeDelivery.objects.filter(item=copy).count() == 1

    # Abandoned, the customisation gives them back to the national items.
    leader.post(reverse("portals:cohort_programme_reset", args=[cohort.pk]), {"confirm": "on"})
    assert effective_scope(cohort) == Scope.NATIONAL
    assert ExerciseAnswer.objects.get().item == exercise


def test_the_leader_adds_edits_and_deletes_an_item(cohort, leader):
    leader.post(reverse("portals:cohort_programme_customise", args=[cohort.pk]))

    response = leader.post(reverse("portals:cohort_programme_add", args=[cohort.pk]), item_data())
    assert response.status_code == 302
    added = ProgrammeItem.objects.of_cohort(cohort).get(title="Mon réseau")
    assert added.section == "paths"

    leader.post(
        reverse("portals:programme_item_edit", args=[added.pk]),
        item_data(title="Mon réseau professionnel", offset_days=-2),
    )
    added.refresh_from_db()
    assert (added.title, added.offset_days) == ("Mon réseau professionnel", -2)
    assert added.when == "2 jours avant le début prévu de la phase"

    assert leader.post(reverse("portals:programme_item_delete", args=[added.pk])).status_code == 200
    assert ProgrammeItem.objects.filter(pk=added.pk).exists()  # not confirmed
    leader.post(reverse("portals:programme_item_delete", args=[added.pk]), {"confirm": "on"})
    assert not ProgrammeItem.objects.filter(pk=added.pk).exists()


def test_a_message_feeds_no_section_and_nothing_is_saved(cohort, leader):
    leader.post(reverse("portals:cohort_programme_customise", args=[cohort.pk]))
    count = ProgrammeItem.objects.count()

    response = leader.post(
        reverse("portals:cohort_programme_add", args=[cohort.pk]), item_data(kind="message")
    )

    assert response.status_code == 200
    assert "Seul un exercice alimente une section de la synthèse." in response.content.decode()
    assert ProgrammeItem.objects.count() == count


def test_an_answered_exercise_is_not_deleted(cohort, leader):
    enrolment = EnrolmentFactory(cohort=cohort)
    leader.post(reverse("portals:cohort_programme_customise", args=[cohort.pk]))
    exercise = ProgrammeItem.objects.of_cohort(cohort).get(title="Mes compétences")
    ExerciseAnswer.write(enrolment=enrolment, item=exercise, text="Écouter.", now=timezone.now())

    response = leader.post(
        reverse("portals:programme_item_delete", args=[exercise.pk]), {"confirm": "on"}, follow=True
    )

    assert "modifiez-le plutôt que de le supprimer" in response.content.decode()
    assert ProgrammeItem.objects.filter(pk=exercise.pk).exists()


def test_nobody_edits_the_national_programme_here(cohort, leader, hr_admin):
    national = ProgrammeItem.objects.national().first()
    for client in (leader, hr_admin):
        response = client.get(reverse("portals:programme_item_edit", args=[national.pk]))
        assert response.status_code == 404


def test_the_employers_programme_applies_to_its_cohorts_not_customised(cohort, hr_admin, leader):
    other = CohortFactory(organisation=cohort.organisation)
    Cohort.objects.filter(pk=other.pk).update(current_phase=1)
    leader.post(reverse("portals:cohort_programme_customise", args=[cohort.pk]))

    hr_admin.post(reverse("portals:employer_programme_customise", args=[cohort.organisation.pk]))
    hr_admin.post(
        reverse("portals:employer_programme_add", args=[cohort.organisation.pk]),
        item_data(title="Le mot de la DRH", kind="message", section=""),
    )

    assert effective_scope(other) == Scope.EMPLOYER
    assert "Le mot de la DRH" in [i.title for i in effective_items(other)]
    assert effective_scope(cohort) == Scope.COHORT  # the leader's own stays
    page = leader.get(reverse("portals:cohort_programme", args=[cohort.pk])).content.decode()
    assert "Reprendre le programme de l’employeur" in page

    hr_admin.post(
        reverse("portals:employer_programme_reset", args=[cohort.organisation.pk]),
        {"confirm": "on"},
    )
    assert effective_scope(other) == Scope.NATIONAL
