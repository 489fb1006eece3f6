"""
How the busiest pages scale with the data: median time and SQL queries of each page
with 100 and with 10 000 requests in the database, and their ratio.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bpp .venv/bin/python bench/pages.py

It builds a throwaway test database (like the test suite), so any DATABASE_URL works.
A page that scales reads a ratio close to 1; the targets are a ratio under 2 and a
constant number of queries.
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

from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from planner_stats import warn_without_statistics  # noqa: E402

REPEAT = 15


def build(size: int, manager, hr_organisation):
    from tests.people.factories import AgentFactory
    from tests.requests.factories import ReviewRequestFactory

    agents = [
        AgentFactory(
            manager=manager, organisation=hr_organisation, service__organisation=hr_organisation
        )
        for _ in range(size)
    ]
    for index, agent in enumerate(agents):
        traits = [{}, {"approved": True}, {"overdue": True}, {"postponement_requested": True}]
        ReviewRequestFactory(agent=agent, **traits[index % 4])


def analyse() -> None:
    """Give the planner statistics, as a production database has (autovacuum)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    warn_without_statistics()


def measure(client: Client, url: str) -> tuple[float, int]:
    timings = []
    reset_queries()
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings), len(queries)


def main() -> None:
    from bpp.people.models import Role
    from tests.people.factories import OrganisationFactory, RoleFactory

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        organisation = OrganisationFactory()
        manager = RoleFactory(role=Role.MANAGER, organisation=organisation).user
        hr = RoleFactory(role=Role.HR, organisation=organisation).user
        pages = {
            "demandes à décider (manager)": (manager, "/demandes/a-decider/"),
            "toutes les demandes (manager)": (manager, "/demandes/a-decider/?onglet=toutes"),
            "espace RH": (hr, "/rh/"),
            "équipe (manager)": (manager, "/encadrement/"),
        }
        results = {}
        built = 0
        for size in (100, 10_000):
            build(size - built, manager, organisation)
            built = size
            analyse()
            for name, (user, url) in pages.items():
                client = Client()
                client.force_login(user)
                results[(name, size)] = measure(client, url)
        print(f"{'page':32} {'médiane 100':>12} {'médiane 10k':>12} {'ratio':>6} {'requêtes':>9}")
        for name in pages:
            (small, q_small), (large, q_large) = results[(name, 100)], results[(name, 10_000)]
            print(
                f"{name:32} {small * 1000:10.1f}ms {large * 1000:10.1f}ms "
                f"{large / small:6.2f} {q_small:>4}/{q_large:<4}"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
