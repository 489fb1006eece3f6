"""
The nightly implicit rejections at 1,000,000 overdue requests: time, statements, tasks queued.

    createdb -h 127.0.0.1 -U postgres bpp_jobs_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bpp_jobs_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/jobs.py [--requests 1000000]

On PostgreSQL only, in a database of its own: it fills it (once) with one agent per
request (an agent has one live request at most), MANAGERS line managers, ORGANISATIONS
employers with one HR officer each, and a tenth of the agents without a manager (their
HR service decides); every request overdue. Before each run it puts the requests back to
« en attente », empties the transitions and the task queue, and runs VACUUM ANALYZE.
Target (issue 14): ≤ 60 s for 1,000,000 requests; no more queued tasks than recipients.
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bpp.settings")

import django

django.setup()

from django.core import mail  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from bpp.requests import jobs  # noqa: E402
from bpp.requests.models import ReviewRequest  # noqa: E402

DOMAIN = "bench-jobs.exemple.gouv.fr"
ORGANISATIONS = 10
AGENTS_PER_MANAGER = 50
NOW = datetime.datetime(2026, 11, 30, 0, 30, tzinfo=ZoneInfo("Europe/Paris"))


def load(count: int) -> None:
    """One agent, one user and one overdue request per row; MANAGERS managers; HR."""
    managers = count // AGENTS_PER_MANAGER
    with connection.cursor() as cursor:
        # One statement at a time: prepared statements (server-side binding) take no more.
        for statement in LOAD_SQL.split(";")[:-1]:
            cursor.execute(
                statement,
                {
                    "orgs": ORGANISATIONS,
                    "count": count,
                    "managers": managers,
                    "users": count + managers + ORGANISATIONS,
                    "domain": DOMAIN,
                },
            )
        for table in ("people_organisation", "people_service", "people_user",
                      "people_agentprofile", "requests_reviewrequest",
                      "people_roleassignment"):  # fmt: skip
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )


LOAD_SQL = """
            INSERT INTO people_organisation (id, name, kind, versant, controller_name,
                dpo_address, dpo_email, dpo_name)
            SELECT o, 'Ministère ' || o, 'ministere', 'etat', '', '', '', ''
            FROM generate_series(1, %(orgs)s) o;
            INSERT INTO people_service (id, name, organisation_id)
            SELECT o, 'Service ' || o, o FROM generate_series(1, %(orgs)s) o;
            -- Users: 1..count agents, then the managers, then one HR officer per employer.
            INSERT INTO people_user (id, password, is_superuser, email, first_name, last_name,
                is_active, date_joined, civility)
            SELECT u, '!', false, 'p' || u || '@' || %(domain)s, 'Prénom' || u, 'Nom' || u,
                true, now(), ''
            FROM generate_series(1, %(users)s) u;
            INSERT INTO people_roleassignment (role, organisation_id, user_id)
            SELECT 'hr', o, %(count)s + %(managers)s + o FROM generate_series(1, %(orgs)s) o;
            INSERT INTO people_agentprofile (id, status, category, function_title,
                post_start_date, holds_level4_diploma, covered_by_l5212_13,
                exposed_to_professional_wear, job_cut_by_restructuring, manager_id, user_id,
                organisation_id, service_id, work_departement, work_town)
            SELECT a, 'titulaire', 'B', 'Agent', date '2020-01-01', true, false, false, false,
                CASE WHEN a %% 10 = 0 THEN NULL ELSE %(count)s + 1 + a %% %(managers)s END,
                a, 1 + a %% %(orgs)s, 1 + a %% %(orgs)s, '', ''
            FROM generate_series(1, %(count)s) a;
            INSERT INTO requests_reviewrequest (id, initiative, status, needs,
                has_defined_project, preferred_mode, availability_constraints,
                wants_disability_officer, proposal_message, created_at, received_on,
                decision_deadline, refusal_reason, postponement_reason, agent_id,
                organisation_id, is_priority, origin, seated)
            SELECT a, 'agent', 'en_attente', 'Évoluer.', false, 'indifferent', '', false, '',
                timestamp '2026-01-01' + (a %% 240) * interval '1 day',
                date '2026-01-01' + a %% 240,
                (date '2026-01-01' + a %% 240 + interval '2 months')::date,
                '', '', a, 1 + a %% %(orgs)s, false, 'initiative', false
            FROM generate_series(1, %(count)s) a;
"""


def reset() -> None:
    """Every request overdue again, no transition, no task: the night before."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE requests_reviewrequest SET status = 'en_attente'")
        cursor.execute("TRUNCATE requests_requesttransition, django_tasks_database_dbtaskresult")
    connection.close()
    with connection.cursor() as cursor:  # VACUUM cannot run in a transaction block
        cursor.execute("VACUUM ANALYZE")


def run_some_tasks(count: int) -> None:
    """Run `count` queued tasks of each kind as the worker would (messages to the local
    memory mailer), then undo what they wrote: the time to render, send and keep."""
    with override_settings(
        MAILERS={"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    ):
        for path in sorted(set(DBTaskResult.objects.values_list("task_path", flat=True))):
            for result in DBTaskResult.objects.filter(task_path=path).order_by("id")[:count]:
                mail.outbox = []
                with transaction.atomic():
                    started = time.perf_counter()
                    result.task.call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
                    elapsed = time.perf_counter() - started
                    transaction.set_rollback(True)
                print(
                    f"tâche {path.rsplit('.', 1)[1]} : {len(mail.outbox)} messages en "
                    f"{elapsed:.1f} s ({1000 * elapsed / max(len(mail.outbox), 1):.1f} ms chacun)"
                )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--batch-size", type=int, default=jobs.BATCH_SIZE)
    parser.add_argument(
        "--tasks", type=int, default=2, help="tâches de chaque sorte à exécuter (worker)"
    )
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("PostgreSQL only: set DATABASE_URL to a database of its own.")
    if not ReviewRequest.objects.exists():
        started = time.perf_counter()
        load(options.requests)
        print(f"chargement : {time.perf_counter() - started:.1f} s")
    print("remise à zéro, VACUUM ANALYZE…")
    reset()
    requests = ReviewRequest.objects.count()
    overdue = ReviewRequest.objects.overdue(NOW.date()).count()
    print(f"{requests} demandes, dont {overdue} hors délai ; lots de {options.batch_size}")

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        recorded = jobs.record_implicit_rejections(now=NOW, batch_size=options.batch_size)
        elapsed = time.perf_counter() - started
    batches = -(-recorded // options.batch_size)
    kinds: dict[str, list] = {}
    for query in queries.captured_queries:
        kind = query["sql"].split(None, 1)[0].upper()
        if "django_tasks_database" in query["sql"]:
            kind += " (tâche)"
        count_and_time = kinds.setdefault(kind, [0, 0.0])
        count_and_time[0] += 1
        count_and_time[1] += float(query["time"])
    in_database = sum(seconds for _, seconds in kinds.values())

    tasks = DBTaskResult.objects.count()
    agents = ReviewRequest.objects.values("agent__user").distinct().count()
    deciders = (
        ReviewRequest.objects.filter(agent__manager__isnull=False)
        .values("agent__manager")
        .distinct()
        .count()
    )
    hr = ReviewRequest.objects.filter(agent__manager__isnull=True).exists() and ORGANISATIONS
    print(f"rejets enregistrés : {recorded} en {elapsed:.1f} s ({batches} lots)")
    print(f"requêtes SQL : {len(queries)} ({len(queries) / max(batches, 1):.1f} par lot)")
    for kind, (count, seconds) in sorted(kinds.items()):
        print(f"  {kind:24} {count:6} {seconds:7.1f} s")
    print(f"  hors base (Python)       {elapsed - in_database:14.1f} s")
    print(
        f"tâches en file : {tasks} pour {agents + deciders + hr} destinataires "
        f"({agents} agents, {deciders} managers, {hr} RH)"
    )
    run_some_tasks(options.tasks)
    print(f"charge : {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")


if __name__ == "__main__":
    main()
