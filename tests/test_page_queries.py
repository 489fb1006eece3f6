"""
Every page people work on runs a bounded number of SQL queries whatever the data: each
is measured on a ministry-like dataset of 200 agents and 20 cohorts, then of 600 agents
and 60 cohorts, and must stay under the same bound.
"""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bpp.pages.management.commands.seed_ministry import DOMAIN
from bpp.people.models import User

# (who, page, the most queries it may run). Every signed-in page counts the unread
# notifications of its header (one query).
PAGES = [
    # + the support interviews asked for, the open cohorts kept for the waiting agents
    ("cmc", "/conseiller/", 17),
    ("cmc", "/agenda/", 9),
    ("cmc", "/syntheses/", 12),
    ("cmc", "/promotions/", 10),
    ("cmc", "/promotions/?onglet=phase-2", 10),
    ("cmc", "/promotions/?onglet=terminees&q=promo", 10),
    ("cmc", "/file-d-attente/", 13),  # + the open cohorts kept for the page's agents
    ("manager", "/encadrement/", 14),
    ("manager", "/encadrement/?onglet=decidees", 14),
    ("manager", "/encadrement/?onglet=equipe", 14),
    ("manager", "/encadrement/?onglet=syntheses", 14),
    ("manager", "/demandes/a-decider/", 10),
    ("manager", "/demandes/a-decider/?onglet=toutes", 10),
    ("manager", "/demandes/a-decider/?onglet=decidees&q=a", 10),
    ("hr", "/rh/", 14),
    ("hr", "/rh/?onglet=en-attente", 14),
    ("hr", "/rh/?onglet=demandes", 14),
    ("hr", "/rh/?onglet=demandes&statut=acceptee&q=a", 14),
    ("hr", "/rh/?onglet=agents", 14),
    ("hr", "/indicateurs/?start=2024-01-01&end=2026-12-31", 20),  # + length of postponements
    ("hr", "/indicateurs.csv?start=2024-01-01&end=2026-12-31", 17),
    # + rank and next cohorts while waiting, the follow-ups to answer, the unread badge
    ("agent", "/agent/", 17),
    ("agent", "/notifications/", 10),
    ("agent", "/notifications/?page=2", 10),
]


@pytest.mark.django_db
@pytest.mark.parametrize("agents", [200, 600])
def test_every_main_page_stays_under_its_bound(agents):
    call_command(
        "seed_ministry",
        agents=agents,
        requests=agents // 2,
        cohorts=agents // 10,
        stdout=io.StringIO(),
    )
    clients = {}
    for role in ("cmc", "manager", "hr", "agent"):
        clients[role] = Client()
        clients[role].force_login(User.objects.get(email=f"{role}0@{DOMAIN}"))

    over = []
    for role, url, bound in PAGES:
        with CaptureQueriesContext(connection) as queries:
            response = clients[role].get(url)
        assert response.status_code == 200, url
        if len(queries) > bound:
            over.append(f"{url}: {len(queries)} queries (bound {bound})")
    assert not over, "\n".join(over)
