"""
What a token reads: the rows of its employer, as that employer's HR service sees them.

An HR service reads the requests and cohorts of its own employer (`is_hr_of`,
`ReviewRequest.objects.visible_to`): an employer's sub-organisations have HR services of
their own, so a token sees neither its parent's rows nor its children's.
"""

from django.db.models import QuerySet
from django.utils import timezone

from bpp.api.models import TOKEN_PREFIX, ApiToken
from bpp.requests.models import ReviewRequest
from cohorts.models import Cohort, Enrolment, Session

# A token is TOKEN_PREFIX and 43 characters; anything much longer is no token of ours.
MAX_TOKEN_LENGTH = 200


def load_token(secret: str, *, scope: str) -> ApiToken | None:
    """The active token whose secret is `secret`, or None (unknown, revoked or malformed
    alike); `MissingScope` when it exists but may not read `scope`."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > MAX_TOKEN_LENGTH:
        return None
    api_token = (
        ApiToken.objects.active()
        .select_related("organisation")
        .filter(token_hash=ApiToken.hash(secret))
        .first()
    )
    if api_token is None:
        return None
    if not api_token.has_scope(scope):
        raise MissingScope(scope)
    api_token.note_use(timezone.now())
    return api_token


class MissingScope(Exception):
    """The token is valid but was not given the right to read this (HTTP 403)."""

    def __init__(self, scope: str):
        super().__init__(scope)
        self.scope = scope


def requests_of(api_token: ApiToken) -> QuerySet:
    return ReviewRequest.objects.filter(organisation=api_token.organisation_id)


def cohorts_of(api_token: ApiToken) -> QuerySet:
    return Cohort.objects.filter(organisation=api_token.organisation_id)


def enrolments_of(api_token: ApiToken) -> QuerySet:
    return Enrolment.objects.filter(cohort__organisation=api_token.organisation_id)


def sessions_of(api_token: ApiToken) -> QuerySet:
    return Session.objects.filter(cohort__organisation=api_token.organisation_id)
