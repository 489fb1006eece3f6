"""
Median time and SQL queries of the synthesis pages of a written draft with comments,
as its agent sees them: the page, the editing page and the PDF download.

    .venv/bin/python bench/synthesis_page.py

It builds a throwaway test database (any DATABASE_URL works).
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
from django.urls import reverse  # noqa: E402

RUNS = {"synthesis:detail": 50, "synthesis:edit": 50, "synthesis:pdf": 20}


def main() -> None:
    from synthesis.models import Comment
    from tests.synthesis.factories import SynthesisFactory, leader_of

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        synthesis = SynthesisFactory(written=True)
        leader = leader_of(synthesis)
        for section in ("needs", "missions", "conclusions"):
            Comment.objects.create(synthesis=synthesis, section=section, author=leader, text="Oui")
        client = Client()
        client.force_login(synthesis.enrolment.agent.user)
        print(f"{'page':20} {'médiane':>9} {'requêtes':>9}")
        for name, runs in RUNS.items():
            url = reverse(name, args=[synthesis.pk])
            client.get(url)  # warm up
            timings = []
            for _ in range(runs):
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = client.get(url)
                    timings.append(time.perf_counter() - start)
                assert response.status_code == 200, (url, response.status_code)
            median = statistics.median(timings) * 1000
            print(f"{name:20} {median:7.1f}ms {len(queries):>9}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
