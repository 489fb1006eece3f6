"""The cohorts dashboard: the cohorts by phase, each tab with its count and its pages; a
search on the title; bounded queries whatever the number of cohorts."""

import pytest
from django.urls import reverse
from django.utils import timezone

from bpp.people.models import Role
from cohorts.models import Cohort, Phase
from tests.cohorts.factories import CohortFactory
from tests.people.factories import RoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cmc(client):
    user = RoleFactory(role=Role.CMC).user
    client.force_login(user)
    return user


def cohort(cmc, **fields) -> Cohort:
    created = CohortFactory(organisation=cmc.role_assignments.get().organisation)
    Cohort.objects.filter(pk=created.pk).update(**fields)
    return created


def test_the_tabs_count_the_cohorts_of_each_phase(client, cmc):
    cohort(cmc, title="Printemps")
    cohort(cmc, current_phase=Phase.LAUNCH)
    cohort(cmc, current_phase=Phase.ANALYSIS)
    cohort(cmc, current_phase=Phase.ANALYSIS)
    cohort(cmc, current_phase=Phase.CONCLUSION, concluded_at=timezone.now())
    cohort(cmc, cancelled_at=timezone.now())
    CohortFactory()  # another employer's

    response = client.get(reverse("cohorts:dashboard"))

    assert [count for *_, count in response.context["tabs"]] == [1, 1, 2, 0, 0, 1, 1]
    assert [c.title for c in response.context["page_obj"]] == ["Printemps"]


def test_a_phase_tab_lists_the_cohorts_in_that_phase(client, cmc):
    running = cohort(cmc, current_phase=Phase.ANALYSIS)
    cohort(cmc)

    response = client.get(reverse("cohorts:dashboard"), {"onglet": "phase-2"})

    assert [c.pk for c in response.context["page_obj"]] == [running.pk]
    assert "Appui à l’analyse du parcours professionnel" in response.text


def test_the_search_finds_a_cohort_by_its_title(client, cmc):
    cohort(cmc, title="Promotion de Lyon")
    cohort(cmc, title="Promotion de Nantes")

    response = client.get(reverse("cohorts:dashboard"), {"q": "lyon"})

    assert [c.title for c in response.context["page_obj"]] == ["Promotion de Lyon"]
    assert response.context["tabs"][0][2] == 1


@pytest.mark.parametrize("tab", ["a-venir", "phase-1", "terminees"])
@pytest.mark.parametrize("count", [3, 30])
def test_each_tab_runs_a_bounded_number_of_queries(
    client, cmc, django_assert_max_num_queries, tab, count
):
    for index in range(count):
        cohort(
            cmc,
            current_phase=[None, Phase.LAUNCH, Phase.CONCLUSION][index % 3],
            concluded_at=timezone.now() if index % 3 == 2 else None,
        )

    with django_assert_max_num_queries(10):
        response = client.get(reverse("cohorts:dashboard"), {"onglet": tab, "page": 1})

    assert len(response.context["page_obj"]) > 0
