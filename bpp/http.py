"""HTTP answers that Django has no exception for: 410 Gone."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class Gone(Exception):
    """Raised by a loader: this user's access to the object has ended (HTTP 410)."""

    def __init__(self, template: str = "410.html"):
        super().__init__(template)
        self.template = template


class GoneMiddleware:
    """Answer 410 with the page the loader named when a view raises `Gone`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Gone):
            return render(request, exception.template, status=410)
        return None
