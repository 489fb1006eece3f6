"""Every agent reads the quality results of their employer, from five answers only."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from cohorts.models import Evaluation
from tests.clock import paris
from tests.cohorts.factories import CohortFactory, EnrolmentFactory
from tests.people.factories import AgentFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

URL = reverse("cohorts:quality")
NOW = paris(2026, 11, 30, 9)


def answered(organisation, score: int, *, at=NOW, kind=Evaluation.Kind.HOT, agree: int = 4):
    enrolment = EnrolmentFactory(cohort=CohortFactory(organisation=organisation))
    return Evaluation.objects.create(
        enrolment=enrolment,
        kind=kind,
        sent_at=at - datetime.timedelta(days=3),
        answered_at=at,
        overall_score=score,
        informed_of_offer=agree,
        delay_communicated=agree,
        adapted=agree,
        confidential=agree,
        synthesis_help=agree,
        comment="Mon manager était absent : c’est moi, Zéphyrine.",
    )


@pytest.fixture
def agent_client(client):
    organisation = OrganisationFactory(name="Ministère de l’Exemple")
    client.session_user = AgentFactory(service__organisation=organisation).user
    client.force_login(client.session_user)
    return client, organisation


def get(client):
    """The page at NOW (signed in again then: the session is only 30 minutes long)."""
    with time_machine.travel(NOW, tick=False):
        client.force_login(client.session_user)
        return client.get(URL)


def test_the_agent_s_home_links_to_the_results(agent_client):
    client, _ = agent_client

    assert URL in client.get(reverse("portals:agent")).text


def test_nothing_is_shown_below_five_answers(agent_client):
    client, organisation = agent_client
    for score in (2, 3, 9, 10):
        answered(organisation, score)

    page = get(client).text

    assert "Moins de 5 réponses pour l’instant : les résultats ne sont pas publiés" in page
    assert "Note globale moyenne" not in page
    assert "Aucune réponse pour l’instant." in page  # nor any cold one


def test_from_five_answers_the_employer_s_aggregates_over_all_its_cohorts(agent_client):
    client, organisation = agent_client
    for score in (6, 8, 9, 9, 10, 10, 9):  # seven cohorts, one answer each
        answered(organisation, score, agree=3)
    answered(OrganisationFactory(), 0)  # another employer's agent

    response = get(client)
    page = response.text

    hot = response.context["by_kind"][0]["satisfaction"]
    assert (hot.answers, hot.top_scores) == (7, 5)
    assert "Note globale moyenne : <strong>8,7 / 10</strong>" in page
    assert "Part des notes de 9 ou 10 (l’objectif de l’index) : <strong>71,4 %" in page
    assert "Répartition des notes globales, de 0 à 10" in page
    assert '<th scope="row">9</th><td>moins de 5</td>' in page  # a count of 3 is withheld
    # Only aggregates: the comments stay with the cohort's leaders and staff.
    assert "Zéphyrine" not in page


def test_the_period_is_the_last_twelve_months_to_the_day(agent_client):
    client, organisation = agent_client
    for _ in range(4):
        answered(organisation, 8)
    answered(organisation, 8, at=paris(2025, 11, 30, 23, 30))  # 12 months ago: out

    assert "Note globale moyenne" not in get(client).text

    answered(organisation, 8, at=paris(2025, 12, 1, 0, 30))  # the first day in

    response = get(client)
    assert "du 1er décembre 2025 au 30 novembre 2026" in response.text
    assert "Note globale moyenne : <strong>8,0 / 10</strong>" in response.text


def test_hot_and_cold_answers_are_counted_apart(agent_client):
    client, organisation = agent_client
    for _ in range(5):
        answered(organisation, 7, kind=Evaluation.Kind.COLD)

    hot, cold = (r["satisfaction"] for r in get(client).context["by_kind"])

    assert (hot.answers, hot.shown) == (0, False)
    assert (cold.answers, cold.shown, cold.mean) == (5, True, 7.0)


def test_shares_of_a_statement_are_withheld_when_too_few_agree(agent_client):
    client, organisation = agent_client
    for agree in (4, 4, 1, 1, 1, 1):
        answered(organisation, 8, agree=agree)

    hot = get(client).context["by_kind"][0]["satisfaction"]

    [(_, mean, agreeing), *_] = hot.statement_rows()
    assert str(mean) == "2,0"
    assert str(agreeing) == "—"  # 2 of 6 agree: too few to publish


def test_a_person_without_an_agent_profile_gets_403(client, world):
    client.force_login(world.users["hr"])

    assert client.get(URL).status_code == 403


def test_the_page_runs_a_bounded_number_of_queries(agent_client, django_assert_max_num_queries):
    client, organisation = agent_client
    for score in range(11):
        answered(organisation, score)

    with time_machine.travel(NOW, tick=False):
        client.force_login(client.session_user)
        with django_assert_max_num_queries(11):
            client.get(URL)
