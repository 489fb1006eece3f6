"""`Authorization: Bearer <token>`: the token of an HR system, checked for one scope."""

from django.http import HttpRequest
from ninja.security import HttpBearer

from bpp.api.models import ApiToken
from bpp.api.permissions import load_token


class BearerToken(HttpBearer):
    """Let in a request whose bearer token is active and holds `scope`: None (a 401) for a
    missing, unknown or revoked token, `MissingScope` (a 403) for a token without it."""

    def __init__(self, scope: str):
        super().__init__()
        self.scope = scope

    def __call__(self, request: HttpRequest) -> ApiToken | None:
        # Ninja's own logs a malformed header in DEBUG: it may hold a secret.
        scheme, _, secret = request.headers.get(self.header, "").partition(" ")
        if scheme.lower() != self.openapi_scheme:
            return None
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        return load_token(token, scope=self.scope)
