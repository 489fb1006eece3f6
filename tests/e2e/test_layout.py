"""
The layout holds on a phone (390 px) and on a desktop (1280 px), on every page.

Two crawls, each page at both widths:

- every page of the permission matrix (tests/test_permission_matrix.py) that a persona of
  the shared test world may open (a GET answering 200), admin included;
- every page a person of the demo (`manage.py seed_demo`, realistic volumes and names)
  reaches by following links from their home page, one URL per route.

On each: no horizontal overflow (`scrollWidth <= innerWidth`: wide tables scroll inside
their `fr-table` wrapper), nothing of the content running over the footer, a short plain
title, and no axe-core violation. Each page is saved as a screenshot in
e2e-artifacts/layout/ (not committed; the path is printed at the end of the run).

Both are marked `layout` (a few minutes): `-m "not layout"` leaves them out locally; CI
runs them beside the rest, on its second core (.ci/run).
"""

import io
import re
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve, reverse
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from bpp.people.models import User
from tests.conftest import PERSONAS, TITLE_MAX_LENGTH
from tests.e2e.conftest import SCREENSHOTS, axe_violations, describe_violation, save_screenshot
from tests.test_permission_matrix import ALL_CASES

pytestmark = pytest.mark.layout

WIDTHS = {390: 844, 1280: 800}

# Routes that answer something else than an HTML page (a file, a feed, a probe).
NOT_PAGES = {
    "healthz",
    "logout",
    "portals:indicators_csv",
    "cohorts:queue_csv",
    "cohorts:queue_xlsx",
    "cohorts:attendance_xlsx",
    "portals:hr_requests_xlsx",
    "cohorts:session_ics",
    "cohorts:calendar_feed",
    "cohorts:my_calendar",
    "cohorts:attendance_sheet",
    "synthesis:pdf",
    "synthesis:cohort_zip",
    "admin:jsi18n",
    "admin:autocomplete",
    "admin:view_on_site",
    # The read API's schema (JSON) and django-ninja's Swagger UI, a tool for developers
    # without our layout (tests/api/test_docs.py).
    "api:openapi-json",
    "api:openapi-view",
}

# Violations of Django's own admin widgets, on the admin site only; each says why.
ADMIN_KNOWN_VIOLATIONS = {
    "aria-input-field-name": "the admin's autocomplete (select2) box has no accessible name",
    "scrollable-region-focusable": "the admin's inline tables scroll on a phone, unfocusable",
}

# What the browser measures on a page: its width and, when wider than the window, the
# element that makes it so (found by hiding elements one by one, down from <body>); the
# elements of the content whose bottom passes the top of the footer; the title.
MEASURE = """
() => {
  const width = window.innerWidth;
  const pageWidth = () => document.documentElement.scrollWidth;
  const name = (el) => el.tagName.toLowerCase()
    + (el.id ? "#" + el.id : "")
    + (el.classList.length ? "." + [...el.classList].slice(0, 3).join(".") : "");
  const culprit = [];
  for (let node = document.body; pageWidth() > width;) {
    const child = [...node.children].find((el) => {
      const display = el.style.display;
      el.style.display = "none";
      const fits = pageWidth() <= width;
      el.style.display = display;
      return fits;
    });
    if (!child) break;
    culprit.push(name(child));
    node = child;
  }
  // The admin site has a layout of its own, without our footer.
  const footer = document.getElementById("pied-de-page");
  const footerTop = footer ? footer.getBoundingClientRect().top : Infinity;
  const underFooter = [];
  for (const el of document.querySelectorAll("#contenu *")) {
    // Not rendered: hidden, or inside a closed <details> (content-visibility: hidden).
    if (!el.checkVisibility({ visibilityProperty: true, contentVisibilityAuto: true })) continue;
    if (el.closest(".fr-modal, .fr-sr-only")) continue;
    const box = el.getBoundingClientRect();
    if (box.height && box.bottom > footerTop + 1) underFooter.push(name(el));
  }
  return {
    scrollWidth: pageWidth(),
    width,
    culprit: culprit.slice(-3).join(" > "),
    underFooter: underFooter.slice(0, 5),
    title: document.title,
  };
}
"""


class Layout:
    """Visits pages at both widths and keeps every problem found, to report them all."""

    def __init__(self, page: Page, axe, folder: str) -> None:
        self.page, self.axe = page, axe
        self.folder = SCREENSHOTS / "layout" / folder
        self.problems: list[str] = []
        self.visited = 0

    def check(self, url: str, who: str) -> None:
        """Load `url` once, then measure it at each width (the layout follows the window:
        media queries apply on resize, without a second load)."""
        (first_width, first_height), *_ = WIDTHS.items()
        self.page.set_viewport_size({"width": first_width, "height": first_height})
        try:
            response = self.page.goto(url)
        except PlaywrightError as error:
            if "Download is starting" in error.message:
                return  # a file (PDF, spreadsheet, archive), not a page
            raise
        if response is None or response.status != 200:
            self.problems.append(f"{who} {url}: status {response and response.status}")
            return
        self.visited += 1
        self.page.wait_for_load_state("load")
        for width, height in WIDTHS.items():
            self.page.set_viewport_size({"width": width, "height": height})
            # Two frames: the resize is laid out before anything is measured.
            self.page.evaluate(
                "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
            )
            self.measure(url, f"{who} {url} at {width} px")
            self.screenshot(url, who, width)

    def measure(self, url: str, where: str) -> None:
        measured = self.page.evaluate(MEASURE)
        if measured["scrollWidth"] > measured["width"]:
            self.problems.append(
                f"{where}: {measured['scrollWidth']} px wide, because of "
                f"{measured['culprit'] or '?'}"
            )
        if measured["underFooter"]:
            self.problems.append(f"{where}: over the footer: {measured['underFooter']}")
        title = " ".join(measured["title"].split())
        if not title or "<" in title or len(title) >= TITLE_MAX_LENGTH:
            self.problems.append(f"{where}: title {title[:200]!r}")
        for violation in axe_violations(self.axe, self.page):
            if url.startswith("/admin/") and violation["id"] in ADMIN_KNOWN_VIOLATIONS:
                continue
            self.problems.append(f"{where}: axe\n{describe_violation(violation)}")

    def screenshot(self, url: str, who: str, width: int) -> None:
        name = re.sub(r"[^\w-]+", "_", urlsplit(url).path).strip("_") or "accueil"
        save_screenshot(self.page, self.folder / who / f"{name}-{width}.png")

    def assert_no_problem(self) -> None:
        assert self.visited, "no page visited"
        assert not self.problems, f"{len(self.problems)} problem(s):\n" + "\n".join(self.problems)


def matrix_pages(world, persona: str) -> Iterator[str]:
    """The pages of the permission matrix that `persona` may open."""
    for name, case in sorted(ALL_CASES.items()):
        if case.method == "get" and case.expected[persona] == 200 and name not in NOT_PAGES:
            yield case.url(world) if case.url else reverse(name)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_of_the_matrix_holds_at_both_widths(world, page, login_as, axe, persona):
    if world.users[persona] is not None:
        login_as(world.users[persona])
    layout = Layout(page, axe, "matrice")

    for url in matrix_pages(world, persona):
        layout.check(url, persona)

    layout.assert_no_problem()


# The demo's people, with the role they are signed in with.
DEMO_PEOPLE = {
    "agent": "agent@ecologie.demo.gouv.fr",
    "manager": "manager1@ecologie.demo.gouv.fr",
    "hr": "rh@ecologie.demo.gouv.fr",
    "cmc": "cmc.ines@ecologie.demo.gouv.fr",
    "provider": "consultante@cap-parcours.demo.fr",
    "disability_officer": "referent.handicap@ecologie.demo.gouv.fr",
    "hr_admin": "rh.admin@ecologie.demo.gouv.fr",
}
# One URL per route is enough; the admin is crawled in the world above.
PAGES_PER_PERSON = 40


def route(url: str) -> str | None:
    """The route name of a path of this site worth visiting, or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.path.startswith("/admin/"):
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    return None if match.view_name in NOT_PAGES else match.view_name


def links(page: Page) -> list[str]:
    return page.eval_on_selector_all(
        "#contenu a[href], #navigation-principale a[href]",
        "links => links.map(a => a.getAttribute('href'))",
    )


@pytest.fixture
def demo(transactional_db) -> None:
    call_command("seed_demo", stdout=io.StringIO())


def test_every_page_the_demo_people_reach_holds_at_both_widths(
    demo, page, login_as, live_server, axe
):
    # One seeded demo for the seven people: seeding it is the slow part of this test.
    problems = []
    for role, email in DEMO_PEOPLE.items():
        login_as(User.objects.get(email=email))
        layout = Layout(page, axe, "demo")
        page.goto("/")
        home = urlsplit(page.url).path
        to_visit, seen = [home], {route(home)}

        while to_visit and layout.visited < PAGES_PER_PERSON:
            url = to_visit.pop(0)
            layout.check(url, role)
            for href in links(page):
                absolute = urljoin(page.url, href)
                name = route(absolute)
                if name and name not in seen and absolute.startswith(live_server.url):
                    seen.add(name)
                    to_visit.append(absolute.removeprefix(live_server.url))

        assert layout.visited, f"{role}: no page visited"
        problems += layout.problems

    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)
