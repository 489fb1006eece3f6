"""
The API at /api/v1/: its endpoints (`bpp.api.views`), its OpenAPI schema at
/api/v1/openapi.json and its documentation at /api/v1/docs, with Swagger UI's files
served from our own static files (django-ninja's, through `ninja` in INSTALLED_APPS):
nothing is fetched from a CDN.

Errors answer in JSON, in French: 400 for a malformed parameter, 401 without a valid
token, 403 for a token without the scope of the endpoint, 404 for an address that is no
endpoint.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, ValidationError

from bpp.api.models import Scope
from bpp.api.pagination import InvalidCursor
from bpp.api.permissions import MissingScope
from bpp.api.views import UnknownParameters, router

api = NinjaAPI(
    title="Bilans de parcours professionnels — API de lecture",
    version="1",
    description=(
        "Lecture seule, pour les systèmes d’information RH des employeurs : demandes et "
        "décisions, promotions, inscriptions, émargements, indicateurs. Aucune écriture "
        "n’est possible par l’API (les décisions se prennent dans l’application). "
        "Authentification : `Authorization: Bearer <jeton>`, un jeton par employeur, "
        "créé par son administrateur RH. Pagination par curseur : passez `next_cursor` "
        "en paramètre `cursor` jusqu’à ce qu’il soit null."
    ),
    urls_namespace="api",
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("/", router)


def _error(request: HttpRequest, detail: str, status: int, **extra) -> HttpResponse:
    return api.create_response(request, {"detail": detail, **extra}, status=status)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(
        request,
        "Jeton absent, inconnu ou révoqué : envoyez l’en-tête « Authorization: Bearer <jeton> ».",
        401,
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(MissingScope)
def missing_scope(request: HttpRequest, exc: MissingScope) -> HttpResponse:
    label = Scope(exc.scope).label.lower()
    return _error(request, f"Ce jeton n’a pas le droit « {exc.scope} » ({label}).", 403)


@api.exception_handler(ValidationError)
def invalid_parameters(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"parameter": ".".join(str(part) for part in error["loc"][1:]), "type": error["type"]}
        for error in exc.errors
    ]
    names = ", ".join(sorted({error["parameter"] for error in errors})) or "la requête"
    return _error(request, f"Paramètre invalide : {names}.", 400, errors=errors)


@api.exception_handler(InvalidCursor)
def invalid_cursor(request: HttpRequest, exc: InvalidCursor) -> HttpResponse:
    errors = [{"parameter": "cursor", "type": "invalid_cursor"}]
    return _error(
        request, "Curseur invalide : reprenez le « next_cursor » d’une page.", 400, errors=errors
    )


@api.exception_handler(UnknownParameters)
def unknown_parameters(request: HttpRequest, exc: UnknownParameters) -> HttpResponse:
    errors = [{"parameter": name[:100], "type": "unknown_parameter"} for name in exc.names]
    names = ", ".join(error["parameter"] for error in errors)
    return _error(request, f"Paramètre inconnu : {names}.", 400, errors=errors)


@csrf_exempt
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """An address under /api/v1/ that is no endpoint: a 404 in JSON, like every error."""
    return _error(request, "Aucune adresse de l’API ne correspond : voyez /api/v1/docs.", 404)


def _open_and_uncached(patterns: list) -> list:
    """The API signs nobody in (a token per request): no sign-in page, no second factor,
    and no cache keeps an answer, which holds personal data."""
    for pattern in patterns:
        if pattern.name == "api-root":  # django-ninja's names the base path; it is no page
            pattern.callback = not_found
        pattern.callback = login_not_required(never_cache(pattern.callback))
    return patterns


urlpatterns = _open_and_uncached([*api.urls[0], path("<path:rest>", not_found, name="not_found")])
app_name = "api"
