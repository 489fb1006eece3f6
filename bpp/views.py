from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bpp.models import Role
from bpp.permissions import set_current_role


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 otherwise (for load balancers and monitoring)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("base de données indisponible", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


@require_POST
def switch_role(request: HttpRequest) -> HttpResponse:
    role = request.POST.get("role", "")
    if role not in Role.values:
        return redirect("home")
    set_current_role(request, role)
    return redirect("home")
