"""
The index of the accompaniment on a ministry-sized dataset, median and 90th percentile:
- computed: the day's figures neither cached nor kept (as when the nightly job
  `compute_daily_figures` did not run);
- cold: the cache emptied (Redis restarted, a machine added), the day's figures kept in
  the database by the nightly job;
- cached.
Targets: 100 ms cold, 20 ms cached.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bpp_bench .venv/bin/python manage.py seed_ministry
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bpp_bench .venv/bin/python bench/quality_index.py

It reads the database `seed_ministry` filled and only writes sessions and the day’s figures.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bpp.settings")

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from planner_stats import warn_without_statistics  # noqa: E402

from bpp.pages.management.commands.seed_ministry import DOMAIN, NAME  # noqa: E402
from bpp.pages.models import DailyFigures  # noqa: E402
from bpp.people.models import Organisation, User  # noqa: E402
from bpp.requests import deadlines  # noqa: E402

REPEAT = 11


def measure(client: Client, url: str, *, cold: bool, kept: bool) -> tuple[float, float]:
    timings = []
    for _ in range(REPEAT):
        if cold:
            cache.clear()
        if not kept:
            DailyFigures.objects.all().delete()
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings), statistics.quantiles(timings, n=10, method="inclusive")[-1]


def main() -> None:
    setup_test_environment()
    warn_without_statistics()
    client = Client()
    client.force_login(User.objects.get(email=f"hr0@{DOMAIN}"))
    organisation = Organisation.objects.get(name=NAME)
    url = reverse("portals:quality_index", args=[organisation.pk, deadlines.legal_today().year])
    client.get(url)  # warm-up: connection, templates
    print(f"{'index de l’accompagnement':36} {'médiane':>9} {'p90':>9}")
    cases = (
        ("calculé (ni cache ni base)", True, False),
        ("à froid (chiffres du jour en base)", True, True),
        ("en cache", False, True),
    )
    for label, cold, kept in cases:
        median, p90 = measure(client, url, cold=cold, kept=kept)
        print(f"{label:36} {median:7.1f}ms {p90:7.1f}ms")


if __name__ == "__main__":
    main()
