"""The accompaniment index of a year, against a dataset computed by hand."""

import datetime

import pytest

from bpp.pages.indicators import SMALL_COUNT, Figure, cells
from bpp.pages.models import QualityDeclaration
from bpp.pages.quality import compute_quality, quality_index
from bpp.people.models import Role
from bpp.requests.models import Status
from cohorts.models import Evaluation
from tests.clock import paris
from tests.cohorts.factories import CohortFactory, EnrolmentFactory
from tests.people.factories import AgentFactory, OrganisationFactory, RoleFactory
from tests.requests.factories import ReviewRequestFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 31)


def received(organisation, on: datetime.date, **agent):
    return ReviewRequestFactory(
        agent=AgentFactory(organisation=organisation, service__organisation=organisation, **agent),
        received_on=on,
    )


def accompanied(organisation, cohort, on: datetime.date, **agent):
    request = received(organisation, on, **agent)
    request.status = Status.APPROVED
    request.save()
    return EnrolmentFactory(cohort=cohort, request=request, agent=request.agent)


def answer(enrolment, score: int, *, on: datetime.datetime, informed: int | None = 4):
    return Evaluation.objects.create(
        enrolment=enrolment,
        kind=Evaluation.Kind.HOT,
        sent_at=on,
        answered_at=on,
        overall_score=score,
        informed_of_offer=informed,
    )


@pytest.fixture
def year_2026():
    """2026: 10 applicants (and one who withdrew), 6 of them in a started cohort that
    concluded, 5 questionnaires in March; 2025: 5 applicants, all accompanied; 2024: 4."""
    organisation = OrganisationFactory()
    cohort = CohortFactory(
        organisation=organisation,
        started_at=paris(2026, 3, 2),
        concluded_at=paris(2026, 6, 30),
        phases=datetime.date(2026, 3, 2),
    )
    enrolments = [accompanied(organisation, cohort, datetime.date(2026, 1, 15)) for _ in range(6)]
    for _ in range(3):
        received(organisation, datetime.date(2026, 2, 1), category="A")
    received(organisation, datetime.date(2026, 2, 1), category="C", covered_by_l5212_13=True)
    withdrawn = received(organisation, datetime.date(2026, 2, 2))
    withdrawn.status = Status.WITHDRAWN
    withdrawn.save()
    for score, enrolment in zip([10, 10, 9, 9, 7], enrolments, strict=False):
        answer(enrolment, score, on=paris(2026, 3, 20))
    earlier = CohortFactory(
        organisation=organisation, started_at=paris(2025, 3, 2), phases=datetime.date(2025, 3, 2)
    )
    for _ in range(5):
        accompanied(organisation, earlier, datetime.date(2025, 1, 15))
    for _ in range(4):
        received(organisation, datetime.date(2024, 5, 5))
    RoleFactory(role=Role.CMC, organisation=organisation)  # trained (2024)
    RoleFactory(role=Role.DISABILITY_OFFICER, organisation=organisation)  # no training
    return organisation


def test_one_small_cell_takes_the_smallest_other_with_it():
    assert [str(f) for f in cells([4, 6, 10])] == ["moins de 5", "—", "10"]
    assert [str(f) for f in cells([5, 6, 10])] == ["5", "6", "10"]
    assert [str(f) for f in cells([4, 0])] == ["moins de 5", "0"]  # nothing else to hide
    assert [str(f) for f in cells([3, 1, 6])] == ["moins de 5", "moins de 5", "6"]


def test_the_access_rate_counts_applicants_accompanied_withheld_under_five(year_2026):
    found = compute_quality(year_2026, 2026, today=TODAY)

    # 2026: 11 received, 1 withdrawn: 6 of 10 in a started cohort.
    assert found.applicants[2026].value == 10
    assert found.accompanied[2026].value == 6
    assert found.access[2026].value == 60.0
    assert found.access[2025].value == 100.0  # 5 of 5: published
    assert found.access[2024].value is None  # 0 of 4: withheld
    assert found.years == [2022, 2023, 2024, 2025, 2026]


def test_satisfaction_is_the_mean_score_with_its_distribution_and_months(year_2026):
    found = compute_quality(year_2026, 2026, today=TODAY)

    assert found.satisfaction[2026].value == 9.0  # (10 + 10 + 9 + 9 + 7) / 5
    assert found.informed[2026].value == 100.0
    # 6 agents finished in 2026, 5 were sent the questionnaire.
    assert found.questionnaire_coverage[2026].value == 83.3
    march = found.months[2]
    assert (march.name, march.answers.value, march.mean.value) == ("mars", 5, 9.0)
    assert found.months[3].mean.value is None and found.months[3].answers.value == 0
    distribution = dict(found.indicators.score_distribution)
    assert (distribution[10].value, distribution[9].value, distribution[7].value) == (2, 2, 1)
    chart = found.score_chart()
    assert [c.label for c in chart.columns if c.in_target] == ["9", "10"]
    assert found.month_chart().target_y is not None


def test_the_mean_score_is_withheld_at_four_answers_and_shown_at_five():
    organisation = OrganisationFactory()
    cohort = CohortFactory(organisation=organisation, started_at=paris(2026, 3, 2))
    enrolments = [accompanied(organisation, cohort, datetime.date(2026, 1, 5)) for _ in range(5)]
    for enrolment in enrolments[:4]:
        answer(enrolment, 8, on=paris(2026, 5, 4))

    four = compute_quality(organisation, 2026, today=TODAY)
    answer(enrolments[4], 3, on=paris(2026, 5, 4))
    five = compute_quality(organisation, 2026, today=TODAY)

    assert four.satisfaction[2026].value is None and four.months[4].mean.value is None
    assert str(four.indicators.satisfaction["answers"]) == "moins de 5"
    assert five.satisfaction[2026].value == 7.0  # (4 × 8 + 3) / 5
    assert five.months[4].mean.value == 7.0


def test_the_profile_withholds_every_cell_under_five(year_2026):
    found = compute_quality(year_2026, 2026, today=TODAY)
    profile = {b.title: {label: (str(a), str(s)) for label, a, s in b.rows} for b in found.profile}

    # Applicants: A 3, B 6, C 1; beneficiaries: B 6.
    assert profile["Catégorie"] == {
        "Catégorie A": ("moins de 5", "0"),
        "Catégorie B": ("6", "6"),
        "Catégorie C": ("moins de 5", "0"),
    }
    assert profile["Statut"]["Titulaire"] == ("10", "6")
    assert profile["Versant de l’employeur"] == {"Fonction publique de l’État": ("10", "6")}
    assert profile["Motif de priorité"]["Bénéficiaires de l’article L5212-13"] == (
        "moins de 5",
        "0",
    )
    assert str(found.disability_requests) == "moins de 5"


@pytest.mark.parametrize(
    ("in_a", "shown"), [(SMALL_COUNT, ["5", "5", "0"]), (SMALL_COUNT - 1, ["moins de 5", "—", "0"])]
)
def test_a_category_of_five_is_shown_and_of_four_withheld_with_the_one_that_would_tell(in_a, shown):
    organisation = OrganisationFactory()
    for _ in range(in_a):
        received(organisation, datetime.date(2026, 4, 1), category="A")
    for _ in range(SMALL_COUNT):
        received(organisation, datetime.date(2026, 4, 1), category="B")

    found = compute_quality(organisation, 2026, today=TODAY)

    # With 4 in A, B is hidden too: the total (9) minus B (5) would give A away.
    assert [str(a) for _, a, _ in found.profile[0].rows] == shown


def test_staff_training_and_counsellors_per_agents_are_computed(year_2026):
    found = compute_quality(year_2026, 2026, today=TODAY)

    assert found.trained_leaders.value == 50.0  # the CMC, not the disability officer
    assert found.staff.value == 2
    # 1 CMC for the 20 agents of the requests.
    assert found.cmc_per_1000_agents.value == 50.0


def test_the_index_reads_declared_indicators_with_their_trend(year_2026):
    someone = RoleFactory(role=Role.HR_ADMIN, organisation=year_2026).user
    for year, informed in ((2025, 70), (2026, 100)):
        QualityDeclaration.objects.create(
            organisation=year_2026,
            year=year,
            informed_share=informed,
            digital_access_share=80,
            disability_offer=True,
            trained_share=90,
            failure_process=False,
            answered_by=someone,
            answered_at=paris(year, 12, 1),
        )

    index = quality_index(year_2026, 2026, today=TODAY)
    by_number = {i.number: i for i in index.indicators}

    assert [(i.shown, i.met) for i in index.indicators] == [
        ("100\u00a0%", True),
        ("80\u00a0%", False),
        ("60,0\u00a0%", False),
        ("Oui", True),
        ("90\u00a0%", False),
        ("Non", False),
        ("9,0/10", True),
    ]
    assert by_number[1].shown_trend[-2:] == [(2025, "70\u00a0%"), (2026, "100\u00a0%")]
    assert by_number[3].shown_trend[-3:] == [
        (2024, "—"),
        (2025, "100,0\u00a0%"),
        (2026, "60,0\u00a0%"),
    ]
    assert index.declaration.answered_by == someone


def test_without_a_declaration_the_declared_indicators_are_unknown(year_2026):
    index = quality_index(year_2026, 2026, today=TODAY)

    assert [i.met for i in index.indicators if i.number in (1, 2, 4, 5, 6)] == [None] * 5
    assert index.indicators[0].shown == "—"


def test_the_figures_are_computed_once_a_day_but_answers_read_fresh(
    year_2026, django_assert_num_queries
):
    quality_index(year_2026, 2026, today=TODAY)
    with django_assert_num_queries(2):  # the declarations and the assessments
        quality_index(year_2026, 2026, today=TODAY)
    someone = RoleFactory(role=Role.HR_ADMIN, organisation=year_2026).user
    QualityDeclaration.objects.create(
        organisation=year_2026,
        year=2026,
        informed_share=50,
        answered_by=someone,
        answered_at=paris(2026, 12, 2),
    )

    assert quality_index(year_2026, 2026, today=TODAY).indicators[0].value == Figure(50)
    assert quality_index(year_2026, 2026, today=TODAY + datetime.timedelta(1)).figures.today == (
        TODAY + datetime.timedelta(1)
    )


def test_outcomes_count_completed_reviews_departures_and_cohorts(year_2026):
    CohortFactory(
        organisation=year_2026, cancelled_at=paris(2026, 9, 1), phases=datetime.date(2026, 10, 5)
    )
    left = accompanied(
        year_2026,
        CohortFactory(organisation=year_2026, phases=datetime.date(2026, 11, 2)),
        datetime.date(2026, 5, 5),
    )
    left.withdrawn_at = paris(2026, 11, 20)
    left.withdrawal_reason = "Mutation."
    left.save()

    found = compute_quality(year_2026, 2026, today=TODAY)

    assert found.completed_reviews.value == 6  # the cohort concluded on 30 June
    assert str(found.left_cohort) == "moins de 5"
    assert found.cancelled_cohorts.value == 1
    assert found.offered_cohorts.value == 2  # March and November; not the cancelled one
    assert found.signed_syntheses.value == 0
