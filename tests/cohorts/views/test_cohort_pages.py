import datetime

import pytest
from django.urls import reverse

from bpp.people.models import Role
from cohorts.models import Cohort, CohortEvent, CohortPhase, Enrolment, Formula
from cohorts.services import set_leaders
from tests.cohorts.factories import CohortFactory, EnrolmentFactory, SessionFactory
from tests.people.factories import AgentFactory, OrganisationFactory, RoleFactory
from tests.requests.factories import ReviewRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cmc(client):
    user = RoleFactory(role=Role.CMC).user
    client.force_login(user)
    return user


def cohort_data(cmc, **overrides):
    data = {
        "organisation": cmc.role_assignments.get().organisation_id,
        "title": "Promotion de printemps",
        "formula": Formula.COLLECTIVE,
        "capacity": 12,
        "mode": "presentiel",
        "place": "Arche Sud, salle 3",
        "leaders": [cmc.pk],
        "published": "on",
    }
    start = datetime.date(2027, 3, 1)
    for number in range(1, 5):
        data[f"phase{number}_starts_on"] = start + datetime.timedelta(weeks=2 * (number - 1))
        data[f"phase{number}_ends_on"] = start + datetime.timedelta(weeks=2 * number - 1)
    return data | overrides


def test_a_cmc_creates_a_cohort_with_its_four_phases(client, cmc):
    response = client.post(reverse("cohorts:create"), cohort_data(cmc))

    cohort = Cohort.objects.get()
    assert response.url == reverse("cohorts:detail", args=[cohort.pk])
    assert list(cohort.phases.values_list("number", flat=True)) == [1, 2, 3, 4]
    assert list(cohort.leaders.all()) == [cmc]


def test_phases_out_of_order_are_refused(client, cmc):
    data = cohort_data(cmc, phase3_starts_on=datetime.date(2027, 3, 2))

    response = client.post(reverse("cohorts:create"), data)

    assert "Les phases doivent se suivre" in response.text
    assert not Cohort.objects.exists()


@pytest.mark.parametrize("capacity", [5, 13])
def test_a_collective_cohort_has_6_to_12_places(client, cmc, capacity):
    response = client.post(reverse("cohorts:create"), cohort_data(cmc, capacity=capacity))

    assert "de 6 à 12 places" in response.text
    assert not Cohort.objects.exists()


def test_the_individual_formula_needs_a_reason_and_has_one_place(client, cmc):
    response = client.post(reverse("cohorts:create"), cohort_data(cmc, formula=Formula.INDIVIDUAL))
    assert "dites pourquoi la collective" in response.text

    client.post(
        reverse("cohorts:create"),
        cohort_data(cmc, formula=Formula.INDIVIDUAL, individual_reason="Agent seul sur site."),
    )
    assert Cohort.objects.get().capacity == 1


def test_a_cohort_below_six_cannot_start_without_an_hr_admin_override(client, cmc):
    cohort = CohortFactory(organisation=cmc.role_assignments.get().organisation, seats_taken=4)
    cohort.leaders.add(cmc)

    response = client.post(reverse("cohorts:progress", args=[cohort.pk]), follow=True)

    assert "ne compte que 4 agents" in response.text
    cohort.refresh_from_db()
    assert cohort.current_phase is None

    admin = RoleFactory(role=Role.HR_ADMIN, organisation=cohort.organisation).user
    client.force_login(admin)
    client.post(
        reverse("cohorts:allow_small_start", args=[cohort.pk]),
        {"derogation-reason": "Site isolé : 4 volontaires seulement."},
    )
    client.post(reverse("cohorts:progress", args=[cohort.pk]))
    cohort.refresh_from_db()
    assert cohort.current_phase == 1


def test_the_cohort_moves_through_the_four_phases_then_concludes(client, cmc):
    cohort = CohortFactory(organisation=cmc.role_assignments.get().organisation, seats_taken=8)
    url = reverse("cohorts:progress", args=[cohort.pk])

    for _ in range(5):
        client.post(url)

    cohort.refresh_from_db()
    assert cohort.concluded_at is not None
    assert CohortPhase.objects.filter(cohort=cohort, completed_at__isnull=False).count() == 4


def test_the_queue_offers_the_matching_cohorts_nearest_first_and_places_after_confirming(
    client, cmc
):
    organisation = cmc.role_assignments.get().organisation
    CohortFactory(organisation=organisation, mode="distance", phases=datetime.date(2027, 1, 4))
    later_on_site = CohortFactory(organisation=organisation, phases=datetime.date(2027, 5, 3))
    sooner_on_site = CohortFactory(organisation=organisation, phases=datetime.date(2027, 2, 1))
    agent = AgentFactory(service__organisation=organisation, organisation=organisation)
    review_request = ReviewRequestFactory(agent=agent, approved=True, preferred_mode="presentiel")

    response = client.get(reverse("cohorts:queue"))

    [(row_request, rank, why, cohorts)] = response.context["rows"]
    assert (row_request, rank, cohorts) == (review_request, 1, [sooner_on_site, later_on_site])
    assert why.startswith("public non prioritaire ; acceptée le ")
    url = reverse("portals:place", args=[sooner_on_site.pk])
    choice = client.get(url, {"demande": review_request.pk})
    assert choice.context["form"]["demandes"].initial == [str(review_request.pk)]
    review = client.post(url, {"demandes": [review_request.pk], "etape": "verifier"})
    assert review.context["departures"] == []
    assert Enrolment.objects.count() == 0  # nothing before the confirmation
    client.post(url, {"demandes": [review_request.pk], "etape": "confirmer"})
    assert Enrolment.objects.get().cohort == sooner_on_site
    assert later_on_site.enrolments.count() == 0
    assert client.get(reverse("cohorts:queue")).context["rows"] == []


def test_priority_publics_come_first_in_the_queue(client, cmc):
    organisation = cmc.role_assignments.get().organisation

    def approved(**traits):
        agent = AgentFactory(
            service__organisation=organisation, organisation=organisation, **traits
        )
        return ReviewRequestFactory(agent=agent, approved=True)

    ordinary = approved()
    priority = approved(l5212_13=True)

    response = client.get(reverse("cohorts:queue"))

    assert [row[0] for row in response.context["rows"]] == [priority, ordinary]


def test_the_agent_leaves_the_cohort_after_confirming(client):
    enrolment = EnrolmentFactory()
    Cohort.objects.filter(pk=enrolment.cohort_id).update(seats_taken=1)
    client.force_login(enrolment.agent.user)
    url = reverse("cohorts:leave", args=[enrolment.pk])

    assert "votre place est aussitôt proposée" in client.get(url).text
    client.post(url, {"reason": "Mutation en région."})

    enrolment.refresh_from_db()
    assert enrolment.withdrawn_at is not None
    assert Cohort.objects.get(pk=enrolment.cohort_id).seats_taken == 0


def test_the_offer_shows_places_left_and_who_leads(client):
    cohort = CohortFactory(seats_taken=10, title="Promotion d’hiver")
    agent = AgentFactory(
        service__organisation=cohort.organisation, organisation=cohort.organisation
    )
    client.force_login(agent.user)

    response = client.get(reverse("cohorts:offer"))

    assert "Promotion d’hiver" in response.text
    assert "2 sur 12" in response.text


def test_the_offer_lists_only_cohorts_open_to_placement_near_the_agent_first(client):
    organisation = OrganisationFactory()
    agent = AgentFactory(
        service__organisation=organisation, organisation=organisation, work_departement="69"
    )

    def cohort(title, start, **fields):
        return CohortFactory(
            organisation=organisation, title=title, phases=datetime.date(*start), **fields
        )

    cohort("Marseille, la plus tôt", (2027, 1, 4), departement="13", town="Marseille")
    cohort("Lyon, plus tard", (2027, 3, 1), departement="69", town="Lyon")
    cohort("À distance", (2027, 2, 1), mode="distance")
    cohort("Complète", (2027, 1, 11), seats_taken=12)
    started = cohort("Déjà en phase 2", (2026, 11, 2))
    Cohort.objects.filter(pk=started.pk).update(current_phase=2)
    client.force_login(agent.user)

    page = client.get(reverse("cohorts:offer"))

    assert [c.title for c in page.context["page_obj"]] == [
        "À distance",
        "Lyon, plus tard",
        "Marseille, la plus tôt",
    ]
    assert "Lyon (69)" in page.text


@pytest.mark.parametrize("count", [2, 20])
def test_the_cohort_pages_run_a_bounded_number_of_queries(
    client, cmc, django_assert_max_num_queries, count
):
    organisation = cmc.role_assignments.get().organisation
    for _ in range(count):
        cohort = CohortFactory(organisation=organisation)
        cohort.leaders.add(cmc)
        agent = AgentFactory(service__organisation=organisation, organisation=organisation)
        ReviewRequestFactory(agent=agent, approved=True)

    for name in ("cohorts:dashboard", "cohorts:queue", "cohorts:offer"):
        with django_assert_max_num_queries(12):
            assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("count", [2, 12])
def test_the_cohort_page_runs_a_bounded_number_of_queries(
    client, cmc, django_assert_max_num_queries, count
):
    cohort = CohortFactory(organisation=cmc.role_assignments.get().organisation)
    enrolments = [EnrolmentFactory(cohort=cohort) for _ in range(count)]
    for _ in range(count):
        SessionFactory(cohort=cohort, participants=enrolments)
        leaders = [
            *cohort.leaders.all(),
            RoleFactory(role=Role.CMC, organisation=cohort.organisation).user,
        ]
        set_leaders(cohort=cohort, leaders=leaders, by=cmc)

    # 16, one for the history, one for the leaders' trainings, one for the unread
    # notifications of the header.
    with django_assert_max_num_queries(19):
        response = client.get(reverse("cohorts:detail", args=[cohort.pk]))

    assert response.status_code == 200


def test_moving_to_the_next_phase_asks_for_confirmation_first(client, cmc):
    cohort = CohortFactory(organisation=cmc.role_assignments.get().organisation, seats_taken=8)

    response = client.get(reverse("cohorts:progress", args=[cohort.pk]))

    assert "On ne revient pas en arrière" in response.text
    cohort.refresh_from_db()
    assert cohort.current_phase is None


def test_editing_the_leaders_records_the_change_in_the_history(client, cmc):
    client.post(reverse("cohorts:create"), cohort_data(cmc))
    cohort = Cohort.objects.get()
    other = RoleFactory(role=Role.CMC, organisation=cohort.organisation).user

    client.post(reverse("cohorts:edit", args=[cohort.pk]), cohort_data(cmc, leaders=[other.pk]))

    assert list(cohort.leaders.all()) == [other]
    assert list(cohort.transitions.values_list("kind", "leader", "by")) == [
        (CohortEvent.LEADER_ADDED, cmc.pk, cmc.pk),
        (CohortEvent.LEADER_ADDED, other.pk, cmc.pk),
        (CohortEvent.LEADER_REMOVED, cmc.pk, cmc.pk),
    ]


def test_the_cohort_page_shows_its_history(client, cmc):
    cohort = CohortFactory(organisation=cmc.role_assignments.get().organisation, seats_taken=8)
    client.post(reverse("cohorts:progress", args=[cohort.pk]))
    client.post(reverse("cohorts:progress", args=[cohort.pk]))

    response = client.get(reverse("cohorts:detail", args=[cohort.pk]))

    assert "Historique" in response.text
    assert "Démarrage : phase 1, Lancement" in response.text
    assert "Phase 1 close ; phase 2" in response.text
    assert f"par {cmc}" in response.text
