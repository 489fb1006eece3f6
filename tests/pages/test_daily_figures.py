"""The day's figures kept in the database (bpp.pages.snapshots) and the nightly job that
computes them for every employer."""

import datetime
import io

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command

from bpp.pages import indicators, snapshots
from bpp.pages.models import DailyFigures
from bpp.pages.quality import quality_index
from tests.clock import paris
from tests.pages.test_quality import received
from tests.people.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 31)
YEAR = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))


@pytest.fixture
def employer():
    organisation = OrganisationFactory()
    for _ in range(6):
        received(organisation, datetime.date(2026, 3, 2))
    return organisation


def test_after_the_cache_is_emptied_the_days_figures_are_read_from_one_row(
    employer, django_assert_num_queries
):
    first = indicators.cached(employer, *YEAR, today=TODAY)
    cache.clear()

    with django_assert_num_queries(1):
        again = indicators.cached(employer, *YEAR, today=TODAY)

    assert again.requests["received"] == first.requests["received"] == indicators.Figure(6)


def test_a_request_received_during_the_day_counts_from_the_next_day(employer):
    assert indicators.cached(employer, *YEAR, today=TODAY).requests["received"].value == 6
    received(employer, datetime.date(2026, 12, 30))
    cache.clear()

    assert indicators.cached(employer, *YEAR, today=TODAY).requests["received"].value == 6
    tomorrow = TODAY + datetime.timedelta(days=1)
    assert indicators.cached(employer, *YEAR, today=tomorrow).requests["received"].value == 7


def test_figures_that_no_longer_read_back_are_computed_again(employer):
    indicators.cached(employer, *YEAR, today=TODAY)
    DailyFigures.objects.update(payload=b"written by an older release")
    cache.clear()

    assert indicators.cached(employer, *YEAR, today=TODAY).requests["received"].value == 6
    assert DailyFigures.objects.count() == 1  # the unreadable row replaced by a new one


def test_two_servers_computing_the_same_figures_keep_one_row(employer):
    snapshots.daily("same", TODAY, lambda: 1)
    cache.clear()
    DailyFigures.objects.all().delete()
    snapshots.daily("same", TODAY, lambda: 1)
    cache.clear()

    assert snapshots.daily("same", TODAY, lambda: 2) == 1  # computed once, read back after
    assert DailyFigures.objects.count() == 1


def test_the_nightly_job_computes_each_employers_figures_and_forgets_the_days_before(
    employer, django_assert_max_num_queries
):
    other = OrganisationFactory()
    received(other, datetime.date(2026, 12, 1))
    OrganisationFactory()  # no request: nothing to compute
    snapshots.daily("yesterday", TODAY - datetime.timedelta(days=1), lambda: 1)

    out = io.StringIO()
    with time_machine.travel(paris(2026, 12, 31, 0, 30), tick=False):
        call_command("compute_daily_figures", stdout=out)
    cache.clear()

    assert "calculés pour 2 employeurs ; 1 chiffre des jours passés effacé." in out.getvalue()

    assert not DailyFigures.objects.filter(day__lt=TODAY).exists()
    # The index and the indicators from January 1st are read, not computed, by the pages.
    with django_assert_max_num_queries(3):  # the row, the declarations, the assessments
        index = quality_index(employer, 2026, today=TODAY)
    assert index.figures.applicants[2026].value == 6
    with django_assert_max_num_queries(1):
        indicators.cached(other, datetime.date(2026, 1, 1), TODAY, today=TODAY)


def test_the_job_runs_again_the_same_night_without_error(employer):
    with time_machine.travel(paris(2026, 12, 31, 0, 30), tick=False):
        call_command("compute_daily_figures", stdout=io.StringIO())
        cache.clear()
        call_command("compute_daily_figures", stdout=io.StringIO())

    # The index and its indicators: on December 31st, the year is also "January 1st to today".
    assert DailyFigures.objects.filter(day=TODAY).count() == 2
