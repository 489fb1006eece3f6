import pytest

from bpp.api.models import ApiToken, Scope
from bpp.people.models import Organisation


def issue(organisation: Organisation, *scopes: str) -> tuple[ApiToken, dict[str, str]]:
    """A token of `organisation` with `scopes` (all by default), and the headers to send it."""
    api_token, secret = ApiToken.issue(
        organisation=organisation, name="SIRH", scopes=list(scopes or Scope.values), by=None
    )
    return api_token, {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def headers(world) -> dict[str, str]:
    """Every scope, for the world's employer."""
    return issue(world.organisation)[1]
