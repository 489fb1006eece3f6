from django.utils.cache import add_never_cache_headers, patch_cache_control

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
