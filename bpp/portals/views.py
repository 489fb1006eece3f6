"""
The home page of each role. These pages gather what the apps hold for one kind of
user; no app imports this module.
"""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from bpp.models import AgentProfile, Role
from bpp.permissions import role_required

HOME_URLS = {
    Role.AGENT: "portals:agent",
    Role.MANAGER: "portals:manager",
    Role.HR: "portals:hr",
    Role.CMC: "portals:cmc",
    Role.PROVIDER: "portals:provider",
    Role.DISABILITY_OFFICER: "portals:disability_officer",
    Role.HR_ADMIN: "portals:hr_admin",
}


def home(request: HttpRequest) -> HttpResponse:
    if request.role is None:
        return render(request, "portals/no_role.html", status=403)
    return redirect(HOME_URLS[request.role])


@role_required(Role.AGENT)
def agent(request: HttpRequest) -> HttpResponse:
    profile = AgentProfile.objects.select_related("organisation", "service", "manager").get(
        user=request.user
    )
    return render(request, "portals/agent.html", {"profile": profile})


@role_required(Role.MANAGER)
def manager(request: HttpRequest) -> HttpResponse:
    team = (
        AgentProfile.objects.filter(manager=request.user)
        .select_related("user", "service")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    page = Paginator(team, 25).get_page(request.GET.get("page"))
    return render(request, "portals/manager.html", {"page_obj": page})


@role_required(Role.HR)
def hr(request: HttpRequest) -> HttpResponse:
    return render(
        request, "portals/hr.html", {"organisations": request.user.organisations_for(Role.HR)}
    )


@role_required(Role.CMC)
def cmc(request: HttpRequest) -> HttpResponse:
    return render(
        request, "portals/cmc.html", {"organisations": request.user.organisations_for(Role.CMC)}
    )


@role_required(Role.PROVIDER)
def provider(request: HttpRequest) -> HttpResponse:
    providers = [a.provider for a in request.user.role_assignments_cache if a.provider_id]
    return render(request, "portals/provider.html", {"providers": providers})


@role_required(Role.DISABILITY_OFFICER)
def disability_officer(request: HttpRequest) -> HttpResponse:
    organisations = request.user.organisations_for(Role.DISABILITY_OFFICER)
    return render(request, "portals/disability_officer.html", {"organisations": organisations})


@role_required(Role.HR_ADMIN)
def hr_admin(request: HttpRequest) -> HttpResponse:
    organisations = request.user.organisations_for(Role.HR_ADMIN)
    return render(request, "portals/hr_admin.html", {"organisations": organisations})
