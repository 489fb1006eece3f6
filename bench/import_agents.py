"""
Importing an HR extract of 100,000 agents: time to read and plan, then to apply.

    createdb -h 127.0.0.1 -U postgres bpp_import_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bpp_import_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/import_agents.py [--rows 100000] [--runs 3]

On PostgreSQL, in a database of its own: each run empties the bench employer, then
imports a generated CSV (« style RenoiRH », one agent in 50 a manager named by the others
of the file) three ways: everyone new (creation), the same file again (nothing changes),
and a file where a tenth of the agents changed category (update, with the priority of
their requests refreshed). Prints the median of the runs. Target (issue 15): ≤ 60 s for
100,000 rows, plan and apply together.
"""

import argparse
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

from bpp.people.imports.applying import apply_plan  # noqa: E402
from bpp.people.imports.mapping import RENOIRH  # noqa: E402
from bpp.people.imports.planning import plan_import  # noqa: E402
from bpp.people.imports.reading import read_table  # noqa: E402
from bpp.people.models import Organisation  # noqa: E402

DOMAIN = "bench-import.exemple.gouv.fr"
EMPLOYER = "Ministère du banc d’essai des imports"
TEAM = 50


def extract(rows: int, *, changed_every: int = 0) -> bytes:
    header = ";".join(RENOIRH[n] for n in RENOIRH)
    lines = [header]
    for i in range(rows):
        manager = "" if i % TEAM == 0 else f"agent{i - i % TEAM}@{DOMAIN}"
        category = "ABC"[i % 3]
        if changed_every and i % changed_every == 0:
            category = "C" if category != "C" else "B"
        values = {
            "email": f"agent{i}@{DOMAIN}",
            "last_name": f"Nom{i}",
            "first_name": "Camille",
            "service": f"Service {i % 200}",
            "manager_email": manager,
            "category": category,
            "status": "Titulaire" if i % 4 else "Contractuel",
            "function_title": "Attaché d’administration",
            "post_start_date": f"{1 + i % 28:02d}/{1 + i % 12:02d}/{2010 + i % 15}",
            "holds_level4_diploma": "oui" if i % 5 else "non",
            "covered_by_l5212_13": "x" if i % 17 == 0 else "",
            "exposed_to_professional_wear": "non",
            "job_cut_by_restructuring": "0",
            "work_town": "Paris",
            "work_departement": "75",
        }
        lines.append(";".join(values[n] for n in RENOIRH))
    return ("\r\n".join(lines) + "\r\n").encode()


def empty(employer: Organisation) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM people_accountevent WHERE user_id IN "
            "(SELECT user_id FROM people_agentprofile WHERE organisation_id = %s)",
            [employer.pk],
        )
        cursor.execute("DELETE FROM people_agentprofile WHERE organisation_id = %s", [employer.pk])
        cursor.execute("DELETE FROM people_user WHERE email LIKE %s", [f"%@{DOMAIN}"])
        cursor.execute("DELETE FROM people_service WHERE organisation_id = %s", [employer.pk])
        cursor.execute("VACUUM ANALYZE")


def timed(employer: Organisation, content: bytes) -> tuple[float, float, float, dict]:
    """Seconds to plan, to apply, and of this process's CPU (the rest is PostgreSQL's or
    waiting: on a loaded machine, the CPU time is the steadier figure)."""
    cpu, start = time.process_time(), time.perf_counter()
    plan = plan_import(employer, read_table(content, "extraction.csv"), RENOIRH, full=True)
    planned = time.perf_counter()
    counts = apply_plan(plan, by=None)
    return planned - start, time.perf_counter() - planned, time.process_time() - cpu, counts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("PostgreSQL only (DATABASE_URL).")
    employer, _ = Organisation.objects.get_or_create(
        name=EMPLOYER, defaults={"kind": "ministere", "versant": "etat"}
    )
    files = {
        "création": extract(args.rows),
        "même fichier": extract(args.rows),
        "un dixième modifié": extract(args.rows, changed_every=10),
    }
    results = {name: [] for name in files}
    for run in range(args.runs):
        empty(employer)
        for name, content in files.items():
            plan_s, apply_s, cpu_s, counts = timed(employer, content)
            results[name].append((plan_s, apply_s, cpu_s))
            print(
                f"run {run + 1} {name}: plan {plan_s:.1f} s, apply {apply_s:.1f} s, "
                f"CPU Python {cpu_s:.1f} s, {counts}",
                flush=True,
            )
    print(f"\n{args.rows} lignes, médiane de {args.runs} essais (charge : {os.getloadavg()}) :")
    for name, timings in results.items():
        plan_s = statistics.median(t[0] for t in timings)
        apply_s = statistics.median(t[1] for t in timings)
        print(
            f"  {name:20} plan {plan_s:5.1f} s + écriture {apply_s:5.1f} s = {plan_s + apply_s:5.1f} s"
        )


if __name__ == "__main__":
    main()
