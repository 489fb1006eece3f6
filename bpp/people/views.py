"""A person's own account: the role they act in, their account page, their password, their
calendar subscription address."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from bpp.people import services
from bpp.people.forms import PasswordResetRequestForm
from bpp.people.models import AgentProfile, CalendarFeed, Role, User
from bpp.people.permissions import set_current_role


@require_POST
def switch_role(request: HttpRequest) -> HttpResponse:
    role = request.POST.get("role", "")
    if role not in Role.values:
        return redirect("home")
    set_current_role(request, role)
    return redirect("home")


def account(request: HttpRequest) -> HttpResponse:
    """What the product holds about one's access, and what administrators changed in it."""
    user = request.user
    profile = AgentProfile.objects.filter(user=user).select_related("manager").first()
    return render(
        request,
        "people/account.html",
        {
            "assignments": user.role_assignments_cache,
            "profile": profile,
            "events": user.account_events.select_related("by")[:50],
            "calendar_feed": CalendarFeed.objects.filter(user=user).first(),
        },
    )


@require_http_methods(["GET", "POST"])
def calendar_address(request: HttpRequest) -> HttpResponse:
    """Create or replace one's calendar subscription address, after a confirmation. Only
    its hash is kept: the address is shown this once, in the message after the change."""
    calendar_feed = CalendarFeed.objects.filter(user=request.user).first()
    if request.method == "POST":
        token = CalendarFeed.renew(request.user)
        address = settings.SITE_URL + reverse("cohorts:calendar_feed", args=[token])
        messages.success(
            request,
            f"Votre adresse d’abonnement : {address} — copiez-la maintenant dans votre "
            "application d’agenda (« S’abonner à un calendrier », « Ajouter un calendrier "
            "depuis une URL ») : elle ne sera plus affichée."
            + (" L’ancienne adresse ne fonctionne plus." if calendar_feed else ""),
        )
        return redirect(reverse("account") + "#agenda")
    return render(request, "people/calendar_address.html", {"calendar_feed": calendar_feed})


@login_not_required
@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    """Ask for a link at one's own address. The answer is the same whether the address is
    known or not, so that nobody learns who has an account."""
    form = PasswordResetRequestForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        user = User.objects.filter(email__iexact=form.cleaned_data["email"], is_active=True).first()
        if user is not None:
            services.send_password_reset(user=user)
        messages.success(
            request,
            "Si cette adresse correspond à un compte, un lien pour choisir un mot de passe "
            "vient d’y être envoyé. Il expire dans trois jours.",
        )
        return redirect("login")
    return render(request, "registration/password_reset_form.html", {"form": form})
