"""The index page, its yearly forms and its reports, through HTTP."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from bpp.pages.models import CriterionAssessment, QualityDeclaration
from bpp.requests import deadlines
from bpp.requests.models import ReviewRequest
from synthesis.models import ActionStatus, FollowUp
from tests.clock import paris
from tests.cohorts.factories import CohortFactory, EnrolmentFactory
from tests.people.factories import AgentFactory
from tests.requests.factories import ReviewRequestFactory
from tests.synthesis.factories import SynthesisFactory

pytestmark = pytest.mark.django_db


def url(name: str, world, *, organisation=None, year=None) -> str:
    organisation = organisation or world.organisation
    return reverse(name, args=[organisation.pk, year or deadlines.legal_today().year])


def received_this_year(world) -> int:
    """The world's own requests and those of `requests_this_year`."""
    return ReviewRequest.objects.filter(
        organisation=world.organisation, received_on__year=deadlines.legal_today().year
    ).count()


@pytest.fixture
def requests_this_year(world):
    """Six requests received on 2 January of this year, three of category A."""
    day = datetime.date(deadlines.legal_today().year, 1, 2)
    for category in "AAABBB":
        ReviewRequestFactory(
            agent=AgentFactory(
                organisation=world.organisation, service=world.service, category=category
            ),
            received_on=day,
        )


def test_hr_reads_the_index_with_its_charts_and_reports(client, world, requests_this_year):
    client.force_login(world.users["hr"])

    response = client.get(url("portals:quality_index", world))

    assert response.status_code == 200
    assert "Les 7 indicateurs de l’index" in response.text
    assert "Prise en compte du handicap" in response.text
    assert "moins de 5" in response.text  # category A: 3 people
    assert "ni la date de naissance ni le sexe" in response.text
    assert "Rapport au CSA (PDF)" in response.text
    assert "Renseigner les réponses" not in response.text  # the HR admin's


def test_another_employers_index_and_reports_are_404(client, world):
    client.force_login(world.users["hr_admin"])

    for name in ("portals:quality_index", "portals:csa_pdf", "portals:quality_declaration"):
        response = client.get(url(name, world, organisation=world.other_organisation))
        assert response.status_code == 404, name


@pytest.mark.parametrize("year", [2021, "next"])
def test_a_year_outside_the_index_is_404(client, world, year):
    client.force_login(world.users["hr"])
    year = deadlines.legal_today().year + 1 if year == "next" else year

    assert client.get(url("portals:quality_index", world, year=year)).status_code == 404


def test_the_hr_admin_answers_the_year_and_the_index_says_who_and_when(client, world):
    client.force_login(world.users["hr_admin"])

    response = client.post(
        url("portals:quality_declaration", world),
        {
            "informed_share": "100",
            "information_means": "Intranet et courriel à chaque agent en janvier.",
            "digital_access_share": "100",
            "disability_offer": "on",
            "trained_share": "75",
            "failure_process_description": "",
        },
    )

    assert response.status_code == 302
    declaration = QualityDeclaration.objects.get(organisation=world.organisation)
    assert declaration.answered_by == world.users["hr_admin"]
    assert (declaration.disability_offer, declaration.failure_process) == (True, False)
    page = client.get(response["Location"]).text
    assert f"renseignées par {world.users['hr_admin']}" in page
    assert "100\u00a0%" in page


def test_a_share_above_100_is_refused_and_nothing_is_saved(client, world):
    client.force_login(world.users["hr_admin"])

    response = client.post(url("portals:quality_declaration", world), {"informed_share": "150"})

    assert response.status_code == 200
    assert "Un pourcentage ne dépasse pas 100." in response.text
    assert not QualityDeclaration.objects.exists()


def test_hr_may_read_but_not_answer(client, world):
    client.force_login(world.users["hr"])

    assert client.get(url("portals:quality_declaration", world)).status_code == 403
    assert client.post(url("portals:quality_criteria", world), {}).status_code == 403


def test_the_self_assessment_shows_the_evidence_and_records_the_six_criteria(client, world):
    client.force_login(world.users["hr_admin"])
    page = client.get(url("portals:quality_criteria", world))
    assert "Taux d’accès des demandeurs à un accompagnement" in page.text

    data = {f"level_{n}": "en_partie" for n in range(1, 7)} | {"comment_5": "Suppléance prévue."}
    response = client.post(url("portals:quality_criteria", world), data)

    assert response.status_code == 302
    assessments = CriterionAssessment.objects.filter(organisation=world.organisation)
    assert assessments.count() == 6
    assert assessments.get(criterion=5).comment == "Suppléance prévue."
    assert {a.assessed_by for a in assessments} == {world.users["hr_admin"]}


def test_a_criterion_without_a_level_saves_none(client, world):
    client.force_login(world.users["hr_admin"])
    data = {f"level_{n}": "atteint" for n in range(1, 6)}

    response = client.post(url("portals:quality_criteria", world), data)

    assert response.status_code == 200
    assert "Le formulaire est incomplet" in response.text
    assert not CriterionAssessment.objects.exists()


def test_the_csa_report_pdf_reads_back(client, world, requests_this_year):
    client.force_login(world.users["hr"])

    response = client.get(url("portals:csa_pdf", world))

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "comité social d’administration" in " ".join(text.split())
    assert world.organisation.name in text
    assert "Demandes reçues" in text and "Les publics prioritaires" in text
    assert "moins de 5" in text  # category A
    assert "L’index de l’accompagnement" in text
    # Where the requests came from, and what the reviews led to (4.2 of the syntheses).
    assert "D’où viennent les demandes" in text and "Initiative personnelle" in text
    assert "Orientation retenue : Mobilité" in text


def test_the_csa_report_xlsx_reads_back(client, world, requests_this_year):
    client.force_login(world.users["hr"])

    response = client.get(url("portals:csa_xlsx", world))

    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Rapport CSA",
        "Index",
        "Profil",
        "Satisfaction",
        "Satisfaction par mois",
    ]
    rows = {row[1]: row[2] for row in workbook["Rapport CSA"].iter_rows(values_only=True)}
    assert rows["Demandes reçues"] == received_this_year(world)  # a number, not text
    assert rows["Délai médian de la demande à la décision (jours)"] == "—"
    satisfaction = [
        row[1]
        for row in workbook["Rapport CSA"].iter_rows(values_only=True)
        if row[0] == "La satisfaction"
    ]
    assert satisfaction == ["Questionnaires de satisfaction reçus", "Note globale moyenne (sur 10)"]
    assert rows["Orientation retenue : Aucune suite particulière"] == 0
    profile = list(workbook["Profil"].iter_rows(values_only=True))
    assert ("Catégorie", "Catégorie A", "moins de 5", 0) in profile
    index = list(workbook["Index"].iter_rows(values_only=True))
    assert index[7][0].startswith("7. ")


def test_the_social_database_export_holds_the_beneficiaries_by_category(
    client, world, requests_this_year
):
    client.force_login(world.users["hr"])

    response = client.get(url("portals:social_database", world))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Employeur", "Année", "Rubrique", "Indicateur", "Valeur"]
    figures = {(row[2], row[3]): row[4] for row in rows[1:]}
    received = figures[("Demandes de bilan de parcours professionnel", "Demandes reçues")]
    assert received == str(received_this_year(world))
    assert figures[("Bénéficiaires par catégorie", "Catégorie A")] == "0"


def test_the_index_page_runs_a_bounded_number_of_queries(
    client, world, requests_this_year, django_assert_max_num_queries
):
    client.force_login(world.users["hr"])

    with django_assert_max_num_queries(40):
        client.get(url("portals:quality_index", world))
    with django_assert_max_num_queries(12):  # the figures come from the day's cache
        client.get(url("portals:quality_index", world))


def answered_follow_ups(world, count: int) -> None:
    """`count` agents answered their 3-month follow-up this year: 2 actions, 1 done, a
    training started; one in two has achieved a mobility."""
    year = deadlines.legal_today().year
    cohort = CohortFactory(organisation=world.organisation)
    for n in range(count):
        synthesis = SynthesisFactory(enrolment=EnrolmentFactory(cohort=cohort), written=True)
        follow_up = FollowUp.objects.create(
            synthesis=synthesis,
            months=3,
            sent_at=paris(year, 1, 1),
            actions=[{"title": f"Action {i}", "status": "", "on": ""} for i in range(2)],
            actions_count=2,
        )
        follow_up.answer(
            answers=[
                (ActionStatus.DONE, datetime.date(year, 1, 1)),
                (ActionStatus.DROPPED, datetime.date(year, 1, 1)),
            ],
            training_started=True,
            mobility_achieved=n % 2 == 0,
            shared_with_leader=False,
            now=paris(year, 1, 2),
        )


@pytest.mark.parametrize(("answers", "published"), [(4, False), (5, True)])
def test_follow_up_outcomes_are_published_from_five_answers(client, world, answers, published):
    answered_follow_ups(world, answers)
    client.force_login(world.users["hr"])

    response = client.get(url("portals:quality_index", world))

    assert ("Suivi à 3 mois (5 réponses)" in response.text) is published
    assert ("Suivi à 3 mois : moins de 5 réponses, rien n’est publié." in response.text) is (
        not published
    )
    if published:
        assert "Actions réalisées</th><td>5</td><td>50,0</td>" in response.text
        assert "Agents ayant commencé une formation</th><td>5</td><td>100,0</td>" in response.text
    assert "Action 0" not in response.text  # never a word of a plan
