"""
The main pages on a ministry-sized dataset: median response time and SQL queries, each
against the bare signed-in view measured in the same run, and their growth with the
ministry's size.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bpp_bench .venv/bin/python manage.py seed_ministry
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bpp_bench .venv/bin/python bench/dashboards.py

One database: each page's median, 90th percentile, queries and ratio to the bare view.
Growth: give two or more databases seeded with different sizes, smallest first
(`seed_ministry --agents 1000 --requests 200 --cohorts 20` for the small one):

    .venv/bin/python bench/dashboards.py postgres://postgres@127.0.0.1:5432/bpp_1k \\
        postgres://postgres@127.0.0.1:5432/bpp_100k

Each database is measured in its own process, one after the other. BENCH_PAGES=/rh/,/admin/
measures only the pages whose address holds one of these fragments (and the bare view). It reads what
`seed_ministry` filled and only writes sessions. Each page is requested REPEAT times after
one warm-up. Targets (issue 14): every page ≤ 50 ms median on the largest database, ≤ 10×
the bare view, growth ≤ ×2 from the smallest to the largest.
"""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bpp.settings")

REPEAT = 11
# A signed-in page that reads nothing but the session and the user: what every page pays.
BARE = ("hr", "vue nue (connecté)", "/compte/")
PAGES = [
    ("cmc", "tableau de bord CMC", "/conseiller/"),
    ("cmc", "synthèses (CMC)", "/syntheses/"),
    ("cmc", "promotions (CMC)", "/promotions/"),
    ("cmc", "file d’attente", "/file-d-attente/"),
    ("manager", "espace manager", "/encadrement/"),
    ("manager", "demandes à décider", "/demandes/a-decider/"),
    ("hr", "espace RH", "/rh/"),
    ("hr", "RH : reports", "/rh/?onglet=reports"),
    ("hr", "RH : en attente d’une place", "/rh/?onglet=en-attente"),
    ("hr", "RH : agents", "/rh/?onglet=agents"),
    # A fragment of one of the seed's 8 surnames: an eighth of the agents match.
    ("hr", "RH : agents, recherche fréquente", "/rh/?onglet=agents&q=ichar"),
    # One agent's address, who is in both databases: the same search at both sizes.
    ("hr", "RH : agents, recherche rare", "/rh/?onglet=agents&q=agent999%40"),
    # Page numbers are gone: the bookmark of the 5,000th agent follows (deep_in_the_agents).
    ("hr", "RH : agents, page 200", "/rh/?onglet=agents&apres="),
    ("hr", "indicateurs (3 ans)", "/indicateurs/?start=2024-01-01&end=2026-12-31"),
    ("hr", "indicateurs CSV", "/indicateurs.csv?start=2024-01-01&end=2026-12-31"),
    ("agent", "espace agent", "/agent/"),
    ("disability_officer", "référent handicap", "/referent-handicap/"),
    ("hr_admin", "admin : personnes", "/admin/people/user/"),
    ("hr_admin", "admin : demandes", "/admin/requests/reviewrequest/"),
]
MAX_MEDIAN_MS, MAX_TIMES_BARE, MAX_GROWTH = 50, 10, 2


def measure_here() -> dict:
    """Measure every page on the database of DATABASE_URL."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from planner_stats import warn_without_statistics

    from bpp.pages.management.commands.seed_ministry import DOMAIN, NAME
    from bpp.people.models import AgentProfile, User
    from bpp.requests.models import ReviewRequest

    setup_test_environment()
    warn_without_statistics()
    clients = {}
    for role in ("cmc", "manager", "hr", "agent", "disability_officer", "hr_admin"):
        clients[role] = Client()
        clients[role].force_login(User.objects.get(email=f"{role}0@{DOMAIN}"))
    pages = {}
    only = [part for part in os.environ.get("BENCH_PAGES", "").split(",") if part]
    for role, name, url in [BARE, *PAGES]:
        if only and url != BARE[2] and not any(part in url for part in only):
            continue
        client = clients[role]
        if url.endswith("apres="):
            url += deep_in_the_agents(NAME)
        assert client.get(url).status_code == 200, url  # warm-up
        timings = []
        for _ in range(REPEAT):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        p90 = statistics.quantiles(timings, n=10, method="inclusive")[-1]
        pages[name] = (statistics.median(timings), p90, len(queries))
    return {
        "database": connection.settings_dict["NAME"],
        "vendor": connection.vendor,
        "agents": AgentProfile.objects.filter(organisation__name=NAME).count(),
        "requests": ReviewRequest.objects.count(),
        "pages": pages,
    }


def deep_in_the_agents(organisation: str) -> str:
    """The bookmark of the agents tab 5,000 agents in (page 200; the last full page of a
    smaller ministry), as its « Page suivante » link carries it."""
    from bpp.pages.views import BY_NAME
    from bpp.people.models import AgentProfile
    from bpp.tabs import bookmark

    agents = AgentProfile.objects.filter(organisation__name=organisation).select_related("user")
    position = min(5000, agents.count() - 26)
    row = agents.order_by(*BY_NAME)[position - 1]
    return quote(bookmark(row, BY_NAME))


def report_one(run: dict) -> None:
    print(
        f"{run['database']} : {run['agents']} agents, {run['requests']} demandes ({run['vendor']})"
    )
    bare = run["pages"][BARE[1]][0]
    print(f"{'page':32} {'médiane':>9} {'p90':>9} {'× nue':>6} {'requêtes':>9}")
    for name, (median, p90, queries) in run["pages"].items():
        flag = "  !" if median > MAX_MEDIAN_MS or median > MAX_TIMES_BARE * bare else ""
        print(f"{name:32} {median:7.1f}ms {p90:7.1f}ms {median / bare:6.1f} {queries:9d}{flag}")


def report_growth(runs: list[dict]) -> None:
    small, large = runs[0], runs[-1]
    bare = large["pages"][BARE[1]][0]
    print(f"\ncroissance {small['agents']} → {large['agents']} agents")
    print(f"{'page':32} {'petite':>9} {'grande':>9} {'× nue':>6} {'croiss.':>8} {'requêtes':>9}")
    for name, (median, _, queries) in large["pages"].items():
        before, _, queries_before = small["pages"][name]
        growth = median / before
        over = median > MAX_MEDIAN_MS or median > MAX_TIMES_BARE * bare or growth > MAX_GROWTH
        print(
            f"{name:32} {before:7.1f}ms {median:7.1f}ms {median / bare:6.1f} {growth:7.2f}× "
            f"{queries_before:>4}/{queries:<4}{'  !' if over else ''}"
        )
    print(f"(! : au-delà de {MAX_MEDIAN_MS} ms, {MAX_TIMES_BARE}× la vue nue ou ×{MAX_GROWTH})")


def main(urls: list[str]) -> None:
    if "--json" in urls:
        print(json.dumps(measure_here()))
        return
    if not urls:
        report_one(measure_here())
        return
    runs = []
    for url in urls:
        out = subprocess.run(
            [sys.executable, __file__, "--json"],
            env={**os.environ, "DATABASE_URL": url},
            check=True,
            capture_output=True,
            text=True,
        )
        sys.stderr.write(out.stderr)
        runs.append(json.loads(out.stdout.splitlines()[-1]))
        report_one(runs[-1])
    report_growth(runs)


if __name__ == "__main__":
    main(sys.argv[1:])
