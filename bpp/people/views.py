from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from bpp.people.models import Role
from bpp.people.permissions import set_current_role


@require_POST
def switch_role(request: HttpRequest) -> HttpResponse:
    role = request.POST.get("role", "")
    if role not in Role.values:
        return redirect("home")
    set_current_role(request, role)
    return redirect("home")
