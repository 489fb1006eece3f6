"""The agent downloads everything the product holds about them (RGPD, access and
portability): their own data only, as the URL names nobody."""

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from bpp.pages.export import agent_archive
from bpp.people.models import Role
from bpp.people.permissions import role_required
from bpp.requests import deadlines


@require_GET
@role_required(Role.AGENT)
def download(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(agent_archive(request.user), content_type="application/zip")
    filename = f"mes-donnees-bilan-{deadlines.legal_today(timezone.now()):%Y-%m-%d}.zip"
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    return response
