"""
The main pages on a ministry-sized dataset: median response time and SQL queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bpp_bench .venv/bin/python manage.py seed_ministry
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bpp_bench .venv/bin/python bench/dashboards.py

It reads the database `seed_ministry` filled (100,000 agents, 20,000 requests, 2,000
cohorts by default) and only writes sessions. Each page is requested REPEAT times
after one warm-up; the report gives the median and the 90th percentile.
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

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from bpp.pages.management.commands.seed_ministry import DOMAIN  # noqa: E402
from bpp.people.models import User  # noqa: E402
from bpp.requests.models import ReviewRequest  # noqa: E402

REPEAT = 11
PAGES = [
    ("cmc", "tableau de bord CMC", "/conseiller/"),
    ("cmc", "synthèses (CMC)", "/syntheses/"),
    ("cmc", "promotions (CMC)", "/promotions/"),
    ("cmc", "file d’attente", "/file-d-attente/"),
    ("manager", "espace manager", "/encadrement/"),
    ("manager", "demandes à décider", "/demandes/a-decider/"),
    ("hr", "espace RH", "/rh/"),
    ("hr", "indicateurs (3 ans)", "/indicateurs/?start=2024-01-01&end=2026-12-31"),
    ("hr", "indicateurs CSV", "/indicateurs.csv?start=2024-01-01&end=2026-12-31"),
    ("agent", "espace agent", "/agent/"),
]


def main() -> None:
    setup_test_environment()
    print(
        f"{User.objects.filter(email__endswith=DOMAIN).count()} comptes, "
        f"{ReviewRequest.objects.count()} demandes ({connection.vendor})"
    )
    clients = {}
    for role in ("cmc", "manager", "hr", "agent"):
        clients[role] = Client()
        clients[role].force_login(User.objects.get(email=f"{role}0@{DOMAIN}"))
    print(f"{'page':32} {'médiane':>9} {'p90':>9} {'requêtes':>9}")
    for role, name, url in PAGES:
        client = clients[role]
        assert client.get(url).status_code == 200, url  # warm-up
        timings = []
        for _ in range(REPEAT):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        p90 = statistics.quantiles(timings, n=10, method="inclusive")[-1]
        print(f"{name:32} {statistics.median(timings):7.1f}ms {p90:7.1f}ms {len(queries):9d}")


if __name__ == "__main__":
    main()
