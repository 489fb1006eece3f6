from bpp.people.permissions import current_role


class CurrentRoleMiddleware:
    """Set `request.role`, the role the user acts in (None for the anonymous)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.role = current_role(request)
        return self.get_response(request)
