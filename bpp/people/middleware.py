from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import urlencode

from bpp.people import second_factor
from bpp.people.permissions import current_role


class CurrentRoleMiddleware:
    """Set `request.role`, the role the user acts in (None for the anonymous)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.role = current_role(request)
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Keep every answer to a signed-in user out of browser and proxy caches.

    Pages, PDF, calendars, archives and CSV files hold personal data: on a shared
    workstation, the back button or the disk cache must not show them to the next user.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Read after the view: signing in and out changes the user.
        if request.user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True, no_store=True)
        return response


class SecondFactorMiddleware:
    """Hold a password session that owes its second factor on « Vérification en deux
    étapes » (or on the enrolment, for whoever has no application yet) before any page.

    Pages open to the anonymous (`login_not_required`: sign-out, legal pages, /healthz)
    and the steps of the second factor (`second_factor_step`) stay open.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True):
            return None
        if getattr(view_func, "second_factor_step", False):
            return None
        if not second_factor.is_pending(request):
            return None
        enrolled = second_factor.is_enrolled(request.user)
        step = reverse("second_factor_verify" if enrolled else "second_factor_enrol")
        return redirect(step + "?" + urlencode({"next": request.get_full_path()}))
