"""
The ZIP of a cohort's signed syntheses, as its leader downloads it: 12 agents (two of
them with the same name), each synthesis signed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bpp_pdf_bench .venv/bin/python bench/synthesis_zip.py

It builds a throwaway test database (any DATABASE_URL works; the target is measured on
PostgreSQL). The first download renders and keeps the PDFs of syntheses signed before
they were kept (what every download did before); the next ones only read what was kept.
Target: median ≤ 0.2 s for 12. Give the load (`uptime`) with the figures.
"""

import io
import os
import statistics
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bpp.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

AGENTS = 12
RUNS = 15


def main() -> None:
    from bpp.people.models import User
    from tests.cohorts.factories import EnrolmentFactory
    from tests.synthesis.factories import SynthesisFactory, leader_of

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        first = SynthesisFactory(signed=True)
        cohort = first.enrolment.cohort
        syntheses = [first] + [
            SynthesisFactory(signed=True, enrolment=EnrolmentFactory(cohort=cohort))
            for _ in range(AGENTS - 1)
        ]
        for synthesis in syntheses[:2]:
            User.objects.filter(pk=synthesis.enrolment.agent.user_id).update(
                last_name="Lefèvre", first_name="Zoé"
            )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        client = Client()
        client.force_login(leader_of(first))
        url = reverse("synthesis:cohort_zip", args=[cohort.pk])

        start = time.perf_counter()
        response = client.get(url)
        rendering = time.perf_counter() - start
        names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
        assert len(set(names)) == AGENTS, names

        timings, cpu = [], []
        for _ in range(RUNS):
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            timings.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as queries:
            client.get(url)

        print(f"{connection.vendor}, ZIP de {AGENTS} PDF ({len(response.content) // 1024} Kio)")
        print(f"premier téléchargement (les 12 rendus puis conservés) : {rendering * 1000:.0f} ms")
        print(
            f"suivants ({RUNS}) : médiane {statistics.median(timings) * 1000:.1f} ms, "
            f"min {min(timings) * 1000:.1f} ms, max {max(timings) * 1000:.1f} ms, "
            f"{len(queries)} requêtes SQL"
        )
        # The CPU of this process (Django, decryption, ZIP; not PostgreSQL's) depends less
        # on the load of a shared machine than the elapsed time.
        print(f"CPU du processus Django : médiane {statistics.median(cpu) * 1000:.1f} ms")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
