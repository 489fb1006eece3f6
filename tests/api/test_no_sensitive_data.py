"""
Never a word of a synthesis, of a disability status, of the ground of a priority, nor of
the free text of a request: neither in the schema's names nor in any answer.
"""

import re

import pytest
from django.urls import reverse

from bpp.api.urls import api
from bpp.requests.models import Status
from cohorts.models import Cohort
from tests.api.conftest import issue
from tests.cohorts.factories import EnrolmentFactory
from tests.people.factories import AgentFactory
from tests.requests.factories import ReviewRequestFactory

pytestmark = pytest.mark.django_db

# In a property or parameter name of the schema.
FORBIDDEN_NAMES = re.compile(
    r"synth|section|health|sant[eé]|handicap|disab|l5212|ground|reason|motif|categor|diplom"
    r"|wear|usure|restructur|droit|needs|besoin|confiden|personal|secret|hash",
    re.IGNORECASE,
)
# In an answer: the words of the grounds and of a synthesis.
FORBIDDEN_WORDS = re.compile(
    r"L5212|handicap|usure|dipl[oô]me|synth[eè]se|cat[eé]gorie|sant[eé]|RQTH", re.IGNORECASE
)
# Free text seeded below, none of which may come out.
MARKERS = ["BESOIN-SECRET", "MOTIF-SECRET", "REPORT-SECRET", "CONFIDENTIEL-SECRET", "DEROGATION"]


def names_in(node) -> set[str]:
    """Every property and parameter name of an OpenAPI document."""
    found = set()
    if isinstance(node, dict):
        found |= set(node.get("properties", {}))
        if node.get("in") in ("query", "path", "header") and "name" in node:
            found.add(node["name"])
        for value in node.values():
            found |= names_in(value)
    elif isinstance(node, list):
        for value in node:
            found |= names_in(value)
    return found


def test_no_name_of_the_schema_is_sensitive():
    names = names_in(api.get_openapi_schema())

    assert {"id", "state", "is_priority", "attendance", "figures"} <= names
    assert sorted(n for n in names if FORBIDDEN_NAMES.search(n)) == []


def test_no_answer_holds_a_ground_a_synthesis_or_free_text(client, world):
    organisation, service = world.organisation, world.service
    ReviewRequestFactory(
        agent=AgentFactory(service=service, l5212_13=True, category_c_without_diploma=True),
        needs="BESOIN-SECRET : ma santé",
        status=Status.REFUSED,
        refusal_reason="MOTIF-SECRET",
    )
    ReviewRequestFactory(
        agent=AgentFactory(service=service, professional_wear=True),
        postponed=True,
        postponement_reason="REPORT-SECRET : continuité du service",
    )
    Cohort.objects.filter(pk=world.cohort.pk).update(confidentiality_rules="CONFIDENTIEL-SECRET")
    EnrolmentFactory(
        cohort=world.cohort,
        placement_reason="DEROGATION : agent prioritaire",
        request__agent__l5212_13=True,
    )
    _, headers = issue(organisation)

    bodies = [
        client.get(reverse(f"api:{name}"), {"limit": 100}, headers=headers)
        for name in ("requests", "cohorts", "enrolments", "sessions")
    ]
    bodies.append(client.get(reverse("api:indicators"), {"year": 2026}, headers=headers))

    assert [response.status_code for response in bodies] == [200] * 5
    text = "\n".join(response.content.decode() for response in bodies)
    assert world.enrolment.agent.user.email in text  # the answers are not empty
    assert FORBIDDEN_WORDS.findall(text) == []
    assert [marker for marker in MARKERS if marker in text] == []
