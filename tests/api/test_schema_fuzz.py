"""
The API fuzzed against its own OpenAPI schema (schemathesis): for every operation,
generated parameters, valid and invalid, sent with a token of the seeded employer.
Not one server error, not one answer that breaks the schema; a request without the
token is refused; invalid parameters are refused with a 400.
"""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from bpp.requests.models import RequestTransition, Status
from bpp.wsgi import application
from cohorts.models import Attendance
from tests.api.conftest import issue
from tests.clock import paris
from tests.cohorts.factories import EnrolmentFactory
from tests.requests.factories import ReviewRequestFactory

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    ignored_auth,
]


@pytest.fixture
def connection_kept():
    """Keep the test's connection through the WSGI calls, as Django's test client does:
    Django closes a connection in a transaction at the end of each request, and the
    test's transaction would go with it (PostgreSQL)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def seeded_headers(world, connection_kept) -> dict[str, str]:
    """A token of the world's employer, whose rows cover every kind of answer."""
    organisation = world.organisation
    ReviewRequestFactory(agent__organisation=organisation, overdue=True)
    approved = ReviewRequestFactory(agent__organisation=organisation, approved=True)
    RequestTransition.objects.create(
        request=approved,
        from_status=Status.PENDING,
        to_status=Status.APPROVED,
        at=paris(2026, 5, 4),
    )
    EnrolmentFactory(cohort=world.cohort, withdrawn_at=paris(2026, 6, 1))
    Attendance.objects.create(
        session=world.session, enrolment=world.enrolment, status=Attendance.Status.PRESENT
    )
    world.cohort.phases.filter(number=1).update(completed_at=paris(2027, 2, 1))
    return issue(organisation)[1]


# Read from the application itself, as a client would (no database involved).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_to_its_schema(case, seeded_headers):
    header = case.meta.components.get(ParameterLocation.HEADER) if case.meta else None
    # A case whose header is the invalid part tests the Authorization header itself.
    headers = None if header and header.mode.is_negative else seeded_headers
    case.call_and_validate(headers=headers, checks=CHECKS)
