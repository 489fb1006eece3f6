"""The queue as the CMC and HR see it: ranks explained, filters, export, history, placement."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from bpp.people.models import Role
from bpp.requests.models import Mode
from cohorts.models import Enrolment
from tests.cohorts.factories import CohortFactory
from tests.people.factories import AgentFactory, RoleFactory
from tests.requests.factories import ReviewRequestFactory

pytestmark = pytest.mark.django_db

REASON = "Son service ferme en janvier : il doit commencer dans celle-ci."


@pytest.fixture
def hr(client):
    user = RoleFactory(role=Role.HR).user
    client.force_login(user)
    return user


def waiting(organisation, *, day=1, mode=Mode.ANY, **agent):
    profile = AgentFactory(service__organisation=organisation, organisation=organisation, **agent)
    decided = datetime.datetime(2026, 10, day, 12, tzinfo=datetime.UTC)
    return ReviewRequestFactory(
        agent=profile, approved=True, decided_at=decided, preferred_mode=mode
    )


def test_the_queue_filters_by_priority_mode_and_departement(client, hr):
    organisation = hr.role_assignments.get().organisation
    remote = waiting(organisation, mode=Mode.REMOTE, work_departement="13")
    priority = waiting(organisation, l5212_13=True, work_departement="92")
    waiting(organisation, work_departement="92")

    def shown(**filters):
        rows = client.get(reverse("cohorts:queue"), filters).context["rows"]
        return [row[0] for row in rows]

    assert shown(prioritaires="on") == [priority]
    assert shown(modalite=Mode.REMOTE) == [remote]
    assert len(shown(departement="92")) == 2
    # A malformed filter is ignored, not an error page.
    assert len(shown(departement="999", modalite="nimporte")) == 3


def test_hr_exports_the_whole_queue_without_the_ground_of_priority(
    client, hr, django_assert_max_num_queries
):
    organisation = hr.role_assignments.get().organisation
    CohortFactory(organisation=organisation, phases=datetime.date(2027, 1, 4))
    for day in range(1, 8):
        waiting(organisation, day=day)
    waiting(organisation, day=20, l5212_13=True, user__last_name="Prioritaire")

    with django_assert_max_num_queries(10):  # the rows come in chunks of 2,000
        response = client.get(reverse("cohorts:queue_csv"))
        body = b"".join(response.streaming_content).decode("utf-8")

    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert rows[0][:5] == ["Rang", "Employeur", "Agent", "Service", "Public prioritaire"]
    assert [r[0] for r in rows[1:]] == [str(n) for n in range(1, 9)]
    assert "Prioritaire" in rows[1][2] and rows[1][4] == "oui"
    assert rows[2][4] == "non" and rows[2][10].startswith("Promotion")
    assert "L5212" not in body and "handicap" not in body.lower()


def test_the_history_lists_departures_with_their_reason(client, hr):
    organisation = hr.role_assignments.get().organisation
    cohort = CohortFactory(organisation=organisation)
    ordinary = waiting(organisation, day=1)
    waiting(organisation, day=2, l5212_13=True)
    url = reverse("portals:place", args=[cohort.pk])

    refused = client.post(url, {"demandes": [ordinary.pk], "etape": "confirmer"})
    assert "déroge à l’ordre de la file" in refused.text
    assert "Motif de la dérogation" in refused.text
    client.post(url, {"demandes": [ordinary.pk], "etape": "confirmer", "motif": REASON})

    assert Enrolment.objects.get().placement_reason == REASON
    history = client.get(reverse("cohorts:queue_history"), {"derogations": "1"})
    assert REASON in history.text
    assert list(history.context["page_obj"]) == [Enrolment.objects.get()]


def test_the_placement_page_offers_the_suited_agents_in_queue_order_with_bounded_queries(
    client, hr, django_assert_max_num_queries
):
    organisation = hr.role_assignments.get().organisation
    cohort = CohortFactory(organisation=organisation, mode=Mode.ON_SITE, departement="92")
    for day in range(1, 13):
        waiting(organisation, day=day, work_departement="92")
    waiting(organisation, day=15, work_departement="13")  # not suited: elsewhere
    priority = waiting(organisation, day=28, l5212_13=True, work_departement="92")
    url = reverse("portals:place", args=[cohort.pk])

    with django_assert_max_num_queries(12):
        page = client.get(url)

    choices = list(page.context["form"].fields["demandes"].queryset)
    assert len(choices) == 13 and choices[0] == priority
    with django_assert_max_num_queries(16):
        review = client.post(url, {"demandes": [c.pk for c in choices[:3]], "etape": "verifier"})
    assert review.context["departures"] == []
    assert "3 agents à inscrire" in review.text


def test_choosing_more_agents_than_seats_left_is_a_form_error(client, hr):
    organisation = hr.role_assignments.get().organisation
    cohort = CohortFactory(organisation=organisation, seats_taken=11)
    chosen = [waiting(organisation, day=1).pk, waiting(organisation, day=2).pk]

    response = client.post(
        reverse("portals:place", args=[cohort.pk]), {"demandes": chosen, "etape": "confirmer"}
    )

    assert "Il reste 1 place dans cette promotion" in response.text
    assert not Enrolment.objects.exists()


def test_a_request_of_another_employer_cannot_be_chosen(client, hr):
    cohort = CohortFactory(organisation=hr.role_assignments.get().organisation)
    stranger = waiting(CohortFactory().organisation)

    response = client.post(
        reverse("portals:place", args=[cohort.pk]),
        {"demandes": [stranger.pk], "etape": "confirmer"},
    )

    assert response.context["form"].errors["demandes"] == [
        "Un des agents choisis n’attend plus de place : choisissez à nouveau."
    ]
    assert "choisissez à nouveau" in response.text
    assert not Enrolment.objects.exists()
