"""
Reading a page never writes: a GET on every URL of the permission matrix, as every
persona, leaves every table as it was.

Deliberate exceptions: the read log of a synthesis (`AccessRecord`), which records
every read by someone other than the agent, and its count of the PDFs a provider
downloaded (`ProviderCopy`), whose destruction the provider will attest; and the PDF of a
signed synthesis (`SignedPdf`), kept on its first download when it was not kept at the
signature (see synthesis.pdf); the day's figures of an employer (`DailyFigures`), kept
by their first reader when the nightly job has not computed them (see
bpp.pages.snapshots): a cache, which holds no person. Signing in writes a session
(`django_session`), which is not counted.
"""

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from bpp.pages.models import DailyFigures
from synthesis.models import AccessRecord, ProviderCopy, SignedPdf
from tests.conftest import PERSONAS
from tests.test_permission_matrix import ALL_CASES

# Written on GET on purpose, and only these.
WRITTEN_ON_GET = {AccessRecord, ProviderCopy, SignedPdf, DailyFigures}

GET_CASES = sorted(name for name, case in ALL_CASES.items() if case.method == "get")


def _counting_query() -> str:
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model not in WRITTEN_ON_GET and model._meta.managed and not model._meta.proxy
        }
        - {"django_session"}
    )
    return " UNION ALL ".join(f"SELECT '{table}', COUNT(*) FROM {table}" for table in tables)


def row_counts() -> dict[str, int]:
    """The number of rows of every table, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(_counting_query())
        return dict(cursor.fetchall())


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_get_changes_a_row(world, persona):
    client = world.client(persona)
    # The URLs first: a case may make the object its page reads (a message sent, say).
    urls = {
        name: ALL_CASES[name].url(world) if ALL_CASES[name].url else reverse(name)
        for name in GET_CASES
    }
    before = row_counts()
    for name in GET_CASES:
        case = ALL_CASES[name]
        client.get(urls[name], case.data)
        after = row_counts()
        changed = {
            label: (before[label], after[label])
            for label in before
            if before[label] != after[label]
        }
        assert not changed, f"{persona} GET {name} changed rows: {changed}"
