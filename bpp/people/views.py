"""A person's own account: signing in (with a password or ProConnect) and out, the role
they act in, their account page, their password, their second factor, their calendar
subscription address."""

import logging

import jwt
import requests
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import View
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
    OIDCLogoutView,
)

from bpp.people import proconnect, second_factor, services
from bpp.people.forms import (
    FirstCodeForm,
    LoginForm,
    PasswordResetRequestForm,
    SecondFactorCodeForm,
)
from bpp.people.models import AgentProfile, CalendarFeed, Role, User
from bpp.people.permissions import set_current_role

logger = logging.getLogger(__name__)


@require_POST
def switch_role(request: HttpRequest) -> HttpResponse:
    role = request.POST.get("role", "")
    if role not in Role.values:
        return redirect("home")
    set_current_role(request, role)
    return redirect("home")


class PasswordLoginView(LoginView):
    """Sign in with one's e-mail address and password; whoever needs a second factor is
    asked for it next (`SecondFactorMiddleware`)."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        second_factor.require_for_session(self.request)
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"proconnect": proconnect.is_enabled()}


@method_decorator(login_not_required, name="dispatch")
class ProConnectLoginView(OIDCAuthenticationRequestView):
    """Send the browser to ProConnect, with a state, a nonce and a PKCE challenge."""

    get_settings = staticmethod(proconnect.oidc_setting)

    def __init__(self, **kwargs):
        # The parent reads the endpoints here: after the check that ProConnect is on.
        View.__init__(self, **kwargs)

    def get(self, request):
        if not proconnect.is_enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except proconnect.Unavailable as error:
            logger.warning("ProConnect discovery failed: %s", error)
            messages.error(request, proconnect.UNAVAILABLE)
            return redirect("login")
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        return super().get(request)


@method_decorator(login_not_required, name="dispatch")
class ProConnectCallbackView(OIDCAuthenticationCallbackView):
    """ProConnect's answer: check it, find the person, open their session."""

    get_settings = staticmethod(proconnect.oidc_setting)

    def get(self, request):
        if not proconnect.is_enabled():
            raise Http404
        try:
            return super().get(request)
        except proconnect.Refused as refusal:
            messages.error(request, str(refusal))
        except (
            SuspiciousOperation,  # unknown state, bad signature or nonce, another audience
            jwt.InvalidTokenError,  # expired, not yet valid
            requests.RequestException,  # ProConnect unreachable or refusing the code
            proconnect.Unavailable,
        ) as error:
            logger.warning("ProConnect sign-in refused: %s", error)
            messages.error(request, proconnect.FAILED)
        return redirect("login")

    def login_failure(self):
        messages.error(self.request, proconnect.FAILED)
        return redirect("login")

    def login_success(self):
        response = super().login_success()
        # ProConnect authenticates people itself, with its own second factor where their
        # administration requires one: ours would ask them twice. Only when ProConnect
        # vouches for one factor alone (`acr` "eidas1", no "mfa" in `amr`) is whoever needs
        # two (User.needs_second_factor) asked for ours, as after a password.
        if not proconnect.is_multi_factor(self.user.proconnect_identity):
            second_factor.require_for_session(self.request)
        return response


@method_decorator(login_not_required, name="dispatch")
class SignOutView(OIDCLogoutView):
    """Sign out (POST), and out of ProConnect too when the session was opened with it."""


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
            "app_device": second_factor.app_device(user),
            "recovery_codes_left": second_factor.remaining_recovery_codes(user),
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


# The second factor ----------------------------------------------------------------------

SESSION_CODES_KEY = "second_factor_codes"  # new recovery codes, until the person leaves them


def _next_url(request: HttpRequest, default: str = "home") -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return reverse(default)


def _with_next(name: str, next_url: str) -> str:
    return reverse(name) + "?" + urlencode({"next": next_url})


def _check_code(request: HttpRequest, form: SecondFactorCodeForm) -> bool:
    """Whether the form holds a good code; a wrong or throttled one becomes its error."""
    if not form.is_valid():
        return False
    try:
        if second_factor.verify(request, form.cleaned_data["code"]):
            return True
        form.add_error(
            "code",
            "Code incorrect ou expiré. Saisissez le code affiché à l’instant par votre "
            "application (vérifiez l’heure de votre téléphone), ou un code de secours "
            "pas encore utilisé.",
        )
    except second_factor.Throttled as throttled:
        form.add_error(
            "code",
            f"Trop de codes incorrects : attendez {throttled.wait} secondes avant de réessayer.",
        )
    return False


@second_factor.step
@require_http_methods(["GET", "POST"])
def second_factor_verify(request: HttpRequest) -> HttpResponse:
    """« Vérification en deux étapes »: a code of the application or a recovery code."""
    next_url = _next_url(request)
    if not second_factor.is_enrolled(request.user):
        return redirect(_with_next("second_factor_enrol", next_url))
    if request.user.is_verified():
        return redirect(next_url)
    form = SecondFactorCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and _check_code(request, form):
        return redirect(next_url)
    # A session that owes its code sees no menu: every page would lead back here.
    context = {"form": form, "next": next_url, "pending": second_factor.is_pending(request)}
    return render(request, "people/second_factor_verify.html", context)


@second_factor.step
@require_http_methods(["GET", "POST"])
def second_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Add an authenticator application: a QR code and the secret in text, confirmed by a
    first code; then the recovery codes, shown once."""
    user = request.user
    next_url = _next_url(request)
    if second_factor.is_enrolled(user):
        # Replacing one's application goes through a current code (second_factor_replace).
        if second_factor.is_pending(request):
            return redirect(_with_next("second_factor_verify", next_url))
        return redirect("account")
    key = second_factor.new_key(request)
    form = FirstCodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        codes = second_factor.enrol(request, form.cleaned_data["code"])
        if codes is not None:
            request.session[SESSION_CODES_KEY] = codes
            return redirect(_with_next("second_factor_codes", next_url))
        form.add_error(
            "code",
            "Ce code ne correspond pas. Saisissez le code affiché à l’instant par "
            "l’application (il change toutes les 30 secondes) ; vérifiez l’heure de votre "
            "téléphone.",
        )
    qr_svg = segno.make(second_factor.config_url(user, key), error="m").svg_inline(
        scale=1, border=2, omitsize=True, dark="#000", light="#fff"
    )
    context = {
        "form": form,
        "next": next_url,
        "qr_svg": qr_svg,
        "secret": second_factor.base32(key),
        "required": user.needs_second_factor,
        "pending": second_factor.is_pending(request),
    }
    return render(request, "people/second_factor_enrol.html", context)


@require_http_methods(["GET", "POST"])
def second_factor_codes(request: HttpRequest) -> HttpResponse:
    """The new recovery codes, shown once: leaving the page forgets them."""
    codes = request.session.get(SESSION_CODES_KEY)
    next_url = _next_url(request, default="account")
    if request.method == "POST" or not codes:
        request.session.pop(SESSION_CODES_KEY, None)
        return redirect(next_url)
    return render(request, "people/second_factor_codes.html", {"codes": codes, "next": next_url})


def second_factor_codes_text(request: HttpRequest) -> HttpResponse:
    """The new recovery codes as a text file, while their page is open."""
    codes = request.session.get(SESSION_CODES_KEY)
    if not codes:
        return redirect("account")
    text = (
        "Bilans de parcours — codes de secours de " + request.user.email + "\n"
        "Chaque code ne sert qu’une fois, à la place du code de l’application.\n\n"
        + "\n".join(codes)
        + "\n"
    )
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="codes-de-secours.txt"'
    return response


@require_http_methods(["GET", "POST"])
def second_factor_renew_codes(request: HttpRequest) -> HttpResponse:
    """Ten new recovery codes, after a current code; the former ones stop working."""
    return _after_current_code(request, replacing=False)


@require_http_methods(["GET", "POST"])
def second_factor_replace(request: HttpRequest) -> HttpResponse:
    """Replace one's application (a new telephone), after a current code."""
    return _after_current_code(request, replacing=True)


def _after_current_code(request: HttpRequest, *, replacing: bool) -> HttpResponse:
    user = request.user
    if not second_factor.is_enrolled(user):
        return redirect("second_factor_enrol")
    form = SecondFactorCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and _check_code(request, form):
        if replacing:
            second_factor.reset(user)
            second_factor.forget_verification(request)
            return redirect(_with_next("second_factor_enrol", reverse("account")))
        request.session[SESSION_CODES_KEY] = second_factor.renew_recovery_codes(user)
        return redirect(_with_next("second_factor_codes", reverse("account")))
    return render(
        request, "people/second_factor_confirm.html", {"form": form, "replacing": replacing}
    )
