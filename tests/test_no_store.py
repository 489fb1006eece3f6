"""
Nothing a signed-in user sees stays in a browser cache: every answer to them, whatever
its status or type (page, PDF, calendar, archive, CSV, admin), says `no-store, private`.
"""

import pytest
from django.urls import reverse

from tests.conftest import PERSONAS
from tests.test_permission_matrix import ALL_CASES

GET_CASES = sorted(name for name, case in ALL_CASES.items() if case.method == "get")


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_no_answer_to_a_signed_in_user_is_cached(world, persona):
    client = world.client(persona)
    for name in GET_CASES:
        case = ALL_CASES[name]
        response = client.get(case.url(world) if case.url else reverse(name), case.data)
        cache_control = {
            directive.strip() for directive in response.get("Cache-Control", "").split(",")
        }
        assert {"no-store", "private"} <= cache_control, (
            f"{persona} GET {name} ({response.status_code}): {response.get('Cache-Control')}"
        )
