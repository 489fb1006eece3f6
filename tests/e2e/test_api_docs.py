"""The API's documentation in a browser: Swagger UI from our own files, within the CSP."""

from playwright.sync_api import Page, expect


def test_the_documentation_shows_every_endpoint_without_leaving_the_site(
    page: Page, live_server, csp_violations
):
    outside = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith(live_server.url) and not request.url.startswith("data:")
            else None
        ),
    )

    page.goto("/api/v1/docs")

    for path in ("/api/v1/requests", "/api/v1/cohorts", "/api/v1/indicators"):
        expect(page.get_by_text(path, exact=True)).to_be_visible()
    assert outside == []
    assert csp_violations(page) == []
