"""
The pages every footer links to, open to everyone, signed in or not: the privacy notice
of each employer (RGPD, art. 13 and 14), the accessibility statement (RGAA 4.1), the
legal notice and the contact page.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from bpp.people.models import Organisation, Role, User

# Each retention period (a key of RETENTION_MONTHS), what it covers and from when it
# runs, as the notice and the README say.
RETENTION = [
    (
        "closed_requests",
        "Demandes refusées, retirées, déclinées ou rejetées implicitement, avec leur historique",
        "après leur clôture",
    ),
    (
        "cohorts",
        "Promotions, séances, émargements, inscriptions et demandes acceptées qu’elles ont servies",
        "après la fin ou l’annulation de la promotion",
    ),
    (
        "syntheses",
        "Documents de synthèse conservés pour le suivi (sauf destruction plus tôt à votre demande) ; vous êtes prévenu un mois avant",
        "après leur signature, ou après la fin du bilan s’ils n’ont pas été signés",
    ),
    (
        "read_logs",
        "Journal des lectures de votre synthèse par d’autres que vous",
        "après chaque lecture",
    ),
    ("questionnaires", "Questionnaires de satisfaction, remplis ou non", "après leur envoi"),
    ("finished_tasks", "Courriels envoyés par le service (copie technique)", "après leur envoi"),
    ("notifications", "Notifications de votre espace, lues ou non", "après leur envoi"),
]


def duration(months: int) -> str:
    """A period in words: « 1 mois », « 18 mois », « 1 an », « 5 ans »."""
    if months % 12 == 0:
        years = months // 12
        return f"{years} an{'s' if years > 1 else ''}"
    return f"{months} mois"


def retention_periods() -> list[tuple[str, str, str]]:
    return [
        (what, duration(settings.RETENTION_MONTHS[kind]), since) for kind, what, since in RETENTION
    ]


def _employers_of(user: User) -> list[Organisation]:
    """The employers whose agent or staff `user` is (a provider's staff has none)."""
    if not user.is_authenticated:
        return []
    roles = [role for role in Role.values if role != Role.PROVIDER]
    found = {o.pk: o for role in roles for o in user.organisations_for(role)}
    return sorted(found.values(), key=lambda o: o.name)


@login_not_required
@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    """The privacy notice of one employer: the one chosen in `?employeur=`, else the
    user's only employer; otherwise the choice, with every employer's DPO."""
    employers = list(Organisation.objects.order_by("name"))
    chosen = request.GET.get("employeur", "")
    employer = next((o for o in employers if str(o.pk) == chosen), None)
    if employer is None and not chosen:
        own = _employers_of(request.user)
        employer = own[0] if len(own) == 1 else None
    return render(
        request,
        "legal/privacy.html",
        {
            "employer": employer,
            "employers": employers,
            "unknown_choice": bool(chosen) and employer is None,
            "retention_periods": retention_periods(),
        },
    )


@login_not_required
@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "legal/accessibility.html", {"contact_email": settings.CONTACT_EMAIL})


@login_not_required
@require_GET
def legal_notice(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "legal/legal_notice.html",
        {
            "editor": settings.LEGAL_EDITOR,
            "editor_address": settings.LEGAL_EDITOR_ADDRESS,
            "publication_director": settings.LEGAL_PUBLICATION_DIRECTOR,
            "host": settings.LEGAL_HOST,
            "host_address": settings.LEGAL_HOST_ADDRESS,
            "contact_email": settings.CONTACT_EMAIL,
        },
    )


@login_not_required
@require_GET
def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "legal/contact.html", {"contact_email": settings.CONTACT_EMAIL})
