"""
End-to-end tests: the application served by pytest-django's `live_server`, in Debian's
headless Chromium (`/usr/bin/chromium`, never a downloaded browser) driven by Playwright,
and checked by axe-core (bundled in the `axe-playwright-python` wheel).

Every test in this folder is marked `e2e`: `make test PYTEST_ARGS="-m 'not e2e'"` skips them.
Without /usr/bin/chromium they are skipped, with the reason (`apt-get install chromium`).

Fixtures:

- `browser` (package): the headless Chromium, started for the first e2e test and stopped
  after the last one (see the comment inside about DJANGO_ALLOW_ASYNC_UNSAFE).
- `page`: a new page in a new browser context (locale fr-FR, Paris time), on a test database
  shared with the live server (`transactional_db`). `page.goto("/agent/")` opens a URL of the
  live server (the context's base URL).
- `login_as(user)`: signs `user` in by copying the session cookie of `Client.force_login`
  into the browser (faster than the sign-in form, which `test_pages.py` tests once), and
  returns the page.
- `assert_accessible(page)`: runs axe-core with the WCAG 2.0 and 2.1 A and AA rules on the
  current page and fails with the violations (rule, help, elements) if there is any.
  `assert_accessible(page, known={"rule-id": "why"})` xfails on a known violation instead,
  until it is fixed (then the test fails, to have the entry removed).
- `assert_holds(page, url)`: opens `url` at 1280 px then at 390 px, and fails unless it
  answers 200, passes `assert_accessible` and never scrolls sideways (`NO_SIDEWAYS_SCROLL`).
- `csp_violations(page)`: the Content-Security-Policy violations the page reported.

A new page in a few lines::

    def test_the_new_page_is_accessible(world, login_as, assert_accessible):
        page = login_as(world.users["hr"])
        page.goto("/rh/nouvelle-page/")
        assert_accessible(page)
"""

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, Page, sync_playwright

from bpp.people.models import User

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
# The success criteria of WCAG 2.0 and 2.1, levels A and AA (RGAA 4 maps onto them).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
TIMEOUT_MS = 10_000

E2E_DIR = os.path.dirname(__file__)

# Recorded in the page before its own scripts run: every CSP violation, as the browser saw it.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline code"}`
      + ` (${event.sourceFile || "?"}:${event.lineNumber})`
  );
});
"""


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Before `-m` deselects: every test of this folder is an e2e test.
    for item in items:
        if str(item.path).startswith(E2E_DIR + os.sep):
            item.add_marker(pytest.mark.e2e)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _saved_screenshots:
        terminalreporter.write_line(
            f"{len(_saved_screenshots)} screenshots of the e2e tests in {SCREENSHOTS}/"
        )


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        found = shutil.which("chromium")
        pytest.skip(
            f"e2e tests need Debian's Chromium at {CHROMIUM} (found: {found or 'none'}): "
            "apt-get install chromium (Playwright never downloads a browser here)"
        )
    with pytest.MonkeyPatch.context() as patch:
        # Playwright's sync API runs an asyncio event loop in the test thread (it switches to
        # it with greenlets), and leaves it marked as running between two calls. Django then
        # refuses every ORM call of that thread (SynchronousOnlyOperation): the factories,
        # `force_login`, the database flush after each test. Nothing runs concurrently with
        # that loop, so the check is moot here (the live server answers in its own thread).
        # The variable is set only while the browser runs (package scope, not the session):
        # set for the whole run, it would disable that safety net in every other test and
        # make `manage.py check --deploy` (async.E001) fail in tests/bpp/test_settings.py.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()


@pytest.fixture
def page(browser: Browser, live_server, transactional_db) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", timezone_id="Europe/Paris"
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login_as(page: Page, live_server) -> Callable[[User], Page]:
    def login_as(user: User) -> Page:
        client = Client()
        client.force_login(user)
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        return page

    return login_as


def describe_violation(violation: dict) -> str:
    targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"])
    return f"- {violation['id']} ({violation['impact']}): {violation['help']}\n    {targets}"


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


def axe_violations(axe: Axe, page: Page) -> list[dict]:
    """The violations of the WCAG 2.0 and 2.1 A and AA rules on the current page."""
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    return axe.run(page, options=options).response["violations"]


# Every page checked for accessibility is also saved as a screenshot here (not committed),
# for a person to look at: e2e-artifacts/<test>/<n>-<path>.png.
SCREENSHOTS = Path(__file__).resolve().parents[2] / "e2e-artifacts"
_saved_screenshots: list[Path] = []


def save_screenshot(page: Page, path: Path) -> None:
    """The whole page as a PNG at `path` (under SCREENSHOTS), listed at the end of the run;
    none with E2E_SCREENSHOTS=0 (CI: nobody looks at them, and a full page takes time)."""
    if os.environ.get("E2E_SCREENSHOTS", "1") == "0":
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=path, full_page=True)
    _saved_screenshots.append(path)


@pytest.fixture
def assert_accessible(axe: Axe, request: pytest.FixtureRequest) -> Callable[..., None]:
    shots = iter(range(1, 1000))
    folder = SCREENSHOTS / re.sub(r"[^\w.-]+", "_", request.node.name)[:120]

    def assert_accessible(page: Page, known: dict[str, str] | None = None) -> None:
        """No axe violation on the page, but the `known` ones ({rule id: why}), which xfail.

        A known violation that is gone fails the test: remove it from `known`.
        """
        known = known or {}
        page.wait_for_load_state("load")
        path = re.sub(r"[^\w-]+", "_", urlsplit(page.url).path).strip("_") or "accueil"
        save_screenshot(page, folder / f"{next(shots):02d}-{path}.png")
        violations = axe_violations(axe, page)
        unexpected = [violation for violation in violations if violation["id"] not in known]
        assert not unexpected, f"{len(unexpected)} axe violation(s) on {page.url}:\n" + "\n".join(
            describe_violation(violation) for violation in unexpected
        )
        fixed = set(known) - {violation["id"] for violation in violations}
        assert not fixed, f"Fixed on {page.url}, remove from `known`: {', '.join(sorted(fixed))}"
        if known:
            pytest.xfail("; ".join(f"{rule}: {why}" for rule, why in known.items()))

    return assert_accessible


# True when the page is no wider than the window (wide tables scroll inside their wrapper).
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def assert_holds(assert_accessible) -> Callable[[Page, str], None]:
    def assert_holds(page: Page, url: str) -> None:
        """`url` at 1280 px, then at 390 px: accessible, and never scrolling sideways."""
        for width, height in ((1280, 800), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            response = page.goto(url)
            assert response is not None and response.status == 200, url
            assert_accessible(page)
            assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{url} scrolls sideways at {width} px"

    return assert_holds


# The DSFR's header copies the HTML of its tool links into the phone menu; when its own
# collapse script has already set a CSS variable on one of them (element.style, which the
# policy allows), the copy carries it as a style attribute, which the policy blocks. It
# depends on which of the DSFR's scripts starts first, changes nothing one can see, and
# comes from no markup of ours: only the DSFR's own style attributes are let through.
DSFR_OWN_STYLE = re.compile(r"^style-src-attr blocked inline \(\S+/dsfr\.module\.min\.js:\d+\)$")


@pytest.fixture
def csp_violations() -> Callable[[Page], list[str]]:
    def csp_violations(page: Page) -> list[str]:
        found = page.evaluate("window.__cspViolations") or []
        return [violation for violation in found if not DSFR_OWN_STYLE.match(violation)]

    return csp_violations
