import datetime
import inspect
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.hashers import get_hashers, get_hashers_by_algorithm
from django.core.cache import cache
from django.db.models import OrderBy
from django.db.models.functions import Random
from django.db.models.sql.compiler import SQLCompiler
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from bpp.api.models import ApiToken, Scope
from bpp.mailer.models import Notification
from bpp.people.models import (
    CalendarFeed,
    ImportRun,
    Organisation,
    Provider,
    ProviderContract,
    Role,
    Service,
    User,
)
from bpp.requests.models import Restructuring, ReviewRequest
from bpp.webhooks.models import Delivery, Event
from cohorts.models import Cohort, Enrolment, Evaluation, Session
from synthesis.models import FollowUp, Scheme, SupportRequest, Synthesis
from tests.cohorts.factories import CohortFactory, EnrolmentFactory, SessionFactory
from tests.people.factories import (
    AgentFactory,
    OrganisationFactory,
    ProviderContractFactory,
    ProviderFactory,
    RoleFactory,
    ServiceFactory,
    UserFactory,
)
from tests.requests.factories import RestructuringFactory, ReviewRequestFactory
from tests.synthesis.factories import SynthesisFactory
from tests.webhooks.factories import EndpointFactory

OUR_TEMPLATES = str(Path(settings.BASE_DIR) / "templates")


class FailOnUndefinedVariable(str):
    """`string_if_invalid` that fails a test on an undefined variable in our own templates.

    pytest-django's FAIL_INVALID_TEMPLATE_VARS would also fail on the third-party
    templates (Django's admin, django-dsfr), which we do not control.
    """

    def __contains__(self, key: str) -> bool:
        return key == "%s"

    def __mod__(self, variable: str) -> str:
        for frame_info in inspect.stack()[1:]:
            if frame_info.function == "render":
                origin = getattr(frame_info.frame.f_locals.get("self"), "origin", None)
                if origin is not None:
                    if str(origin.name).startswith(OUR_TEMPLATES):
                        pytest.fail(f"Undefined template variable '{variable}' in {origin.name}")
                    break
        return ""


@pytest.fixture(autouse=True, scope="session")
def _fail_on_undefined_template_variables():
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(
            settings.TEMPLATES[0]["OPTIONS"], "string_if_invalid", FailOnUndefinedVariable("%s")
        )
        yield


_shifted_clock = pytest.StashKey[time_machine.travel]()


def pytest_configure(config: pytest.Config) -> None:
    """Hash passwords fast, and run the whole session at the instant `BPP_TEST_NOW`
    (ISO 8601, with its offset).

    Production hashes a password with PBKDF2 at 1.5 million iterations, 0.7 s on a CI
    machine, paid by every sign-in through a form and every password set: MD5 here, as
    Django advises for test suites (the deployment and cluster tests start processes with
    the production settings).

    CI runs the suite again one year ahead and at the first minutes of a Monday in Paris:
    a test that depends on the real date fails there. The clock ticks from that instant.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    get_hashers.cache_clear()
    get_hashers_by_algorithm.cache_clear()
    if now := os.environ.get("BPP_TEST_NOW"):
        instant = datetime.datetime.fromisoformat(now)
        if instant.tzinfo is None:
            raise pytest.UsageError(f"BPP_TEST_NOW needs an offset: {now!r}")
        config.stash[_shifted_clock] = time_machine.travel(instant, tick=True)
        config.stash[_shifted_clock].start()


def pytest_unconfigure(config: pytest.Config) -> None:
    if traveller := config.stash.get(_shifted_clock, None):
        traveller.stop()


def pytest_report_header() -> str | None:
    if now := os.environ.get("BPP_TEST_NOW"):
        return f"shifted clock: BPP_TEST_NOW={now}"
    return None


@pytest.fixture(autouse=True, scope="session")
def _shuffle_unordered_querysets():
    """Return the rows of a query without an ordering in a random order.

    The database promises no order without ORDER BY, and code that relies on the order
    it happens to see works until it does not. A model without `Meta.ordering`, queried
    without `order_by()`, is ordered by `?` here. Queries whose ordering Django clears
    (`count()`, `exists()`, aggregates, `get()`, subqueries) and DISTINCT or combined
    queries (where ORDER BY RANDOM() is not allowed) are left alone.
    """
    original = SQLCompiler._order_by_pairs

    def _order_by_pairs(self):
        query = self.query
        if (
            query.model is not None
            and query.default_ordering
            and not query.order_by
            and not query.extra_order_by
            and not query.distinct
            and not query.combinator
            and not query.get_meta().ordering
        ):
            yield OrderBy(Random()), False
        else:
            yield from original(self)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SQLCompiler, "_order_by_pairs", _order_by_pairs)
        yield


TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.DOTALL | re.IGNORECASE)
TITLE_MAX_LENGTH = 120


def check_title(response: HttpResponse, path: str) -> None:
    """Fail unless a full HTML page has exactly one short, plain, non-empty `<title>`.

    Only the document's, in its `<head>`: the `<title>` of an inline SVG names the chart.
    """
    if (
        response.status_code != 200
        or response.streaming
        or not response.get("Content-Type", "").startswith("text/html")
        or b"<html" not in response.content
    ):
        return
    head = response.content.decode().partition("</head>")[0]
    titles = TITLE.findall(head)
    if len(titles) != 1:
        pytest.fail(f"{path}: {len(titles)} <title> elements in the <head> instead of one")
    title = " ".join(titles[0].split())
    if not title:
        pytest.fail(f"{path}: an empty <title>")
    if "<" in title or ">" in title:
        pytest.fail(f"{path}: markup in the <title>: {title[:200]!r}")
    if len(title) >= TITLE_MAX_LENGTH:
        pytest.fail(f"{path}: a <title> of {len(title)} characters: {title[:200]!r}")


@pytest.fixture(autouse=True, scope="session")
def _every_page_has_a_sane_title():
    """Check the `<title>` of every full page the test client receives."""
    original = Client.request

    def request(self, **request):
        response = original(self, **request)
        check_title(response, request.get("PATH_INFO", "?"))
        return response

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Client, "request", request)
        yield


# The people of the permission matrix, each holding one role.
PERSONAS = [
    "anonymous",
    "agent",
    "other_agent",
    "enrolled_agent",
    "manager",
    "cmc",
    "provider",
    "hr",
    "hr_admin",
    "disability_officer",
]


@dataclass
class World:
    """An employer with one person per role, plus another employer to leak into."""

    organisation: Organisation
    service: Service
    other_organisation: Organisation
    provider_organisation: Provider
    users: dict[str, User | None]
    request: ReviewRequest  # the agent's, awaiting their manager's decision
    proposal: ReviewRequest  # proposed to the other agent by their employer
    cohort: Cohort  # of the employer, led by its CMC
    enrolment: Enrolment  # of a third agent of the employer, in that cohort
    session: Session  # of that cohort, with that agent
    evaluation: Evaluation  # sent to that agent
    synthesis: Synthesis  # of that agent, being written (one version), never shared
    scheme: Scheme  # added by the employer to the national list
    contract: ProviderContract  # between the employer and the provider
    restructuring: Restructuring  # an operation of the employer, concerning no service
    calendar_token: str  # of the CMC's calendar subscription address
    notification: Notification  # a message sent to the agent
    webhook_delivery: Delivery  # a test event posted to the employer's endpoint (paused)
    import_run: ImportRun  # a previewed import of the employer's agents, of an empty file
    api_token: ApiToken  # of the employer's HR information system, every scope
    # Of that synthesis: its 3-month follow-up, unanswered, and a support request, open.
    follow_up: FollowUp | None = None
    support_request: SupportRequest | None = None

    def client(self, persona: str) -> Client:
        client = Client()
        if self.users[persona] is not None:
            client.force_login(self.users[persona])
        return client


def build_world() -> World:
    organisation = OrganisationFactory(name="Ministère de l’Exemple")
    service = ServiceFactory(organisation=organisation, name="Bureau des carrières")
    other_organisation = OrganisationFactory(name="Ministère Voisin")
    provider = ProviderFactory(name="Cabinet Parcours")

    def staff(role: str) -> User:
        return RoleFactory(role=role, organisation=organisation).user

    manager = staff(Role.MANAGER)
    agent = AgentFactory(service=service, manager=manager).user
    other_service = ServiceFactory(organisation=other_organisation)
    other_agent = AgentFactory(service=other_service).user
    users = {
        "anonymous": None,
        "agent": agent,
        "other_agent": other_agent,
        "manager": manager,
        "cmc": staff(Role.CMC),
        "provider": RoleFactory(for_provider=True, provider=provider).user,
        "hr": staff(Role.HR),
        "hr_admin": staff(Role.HR_ADMIN),
        "disability_officer": staff(Role.DISABILITY_OFFICER),
    }
    review_request = ReviewRequestFactory(agent=agent.agent_profile)
    proposal = ReviewRequestFactory(
        agent=other_agent.agent_profile, proposed=True, proposed_by=UserFactory()
    )
    cohort = CohortFactory(organisation=organisation)
    cohort.leaders.add(users["cmc"])
    enrolment = EnrolmentFactory(
        cohort=cohort, request__agent__service=service, request__agent__organisation=organisation
    )
    users["enrolled_agent"] = enrolment.agent.user
    Cohort.objects.filter(pk=cohort.pk).update(seats_taken=1)  # the enrolment's seat
    cohort.refresh_from_db()
    world = World(
        organisation,
        service,
        other_organisation,
        provider,
        users,
        review_request,
        proposal,
        cohort,
        enrolment,
        SessionFactory(cohort=cohort, participants=[enrolment]),
        Evaluation.objects.create(enrolment=enrolment, kind="chaud", sent_at=timezone.now()),
        SynthesisFactory(enrolment=enrolment, written=True),
        Scheme.objects.create(name="Parcours managérial maison", organisation=organisation),
        ProviderContractFactory(
            organisation=organisation,
            provider=provider,
            reference="M-2026-001",
            starts_on=datetime.date(2026, 1, 1),
        ),
        RestructuringFactory(organisation=organisation),
        CalendarFeed.renew(users["cmc"]),
        Notification.objects.create(
            recipient=agent,
            name="requests/received",
            subject="Votre demande de bilan de parcours a bien été reçue",
            text="Bonjour,\n\nVotre demande de bilan de parcours professionnel a été reçue.",
        ),
        # Paused: the events of other tests post nothing to it.
        Delivery.objects.create(
            endpoint=EndpointFactory(organisation=organisation, active=False),
            event=Event.PING,
            payload={},
            status=Delivery.Status.SUCCEEDED,
        ),
        ImportRun.objects.create(
            organisation=organisation, filename="vide.csv", content=b"", by=users["hr_admin"]
        ),
        ApiToken.issue(organisation=organisation, name="SIRH", scopes=Scope.values, by=None)[0],
    )
    world.follow_up = FollowUp.objects.create(
        synthesis=world.synthesis,
        months=3,
        sent_at=timezone.now(),
        actions=[{"title": "Se former à la conduite de projet", "status": "", "on": ""}],
        actions_count=1,
    )
    world.support_request = SupportRequest.objects.create(synthesis=world.synthesis, message="")
    return world


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (figures are cached per employer's id)."""
    yield
    cache.clear()


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def user_factory(db):
    return UserFactory


class QueuedTasks:
    """The tasks queued in the database backend, read without running a worker."""

    def _results(self):
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.order_by("enqueued_at", "id")

    def emails(self) -> list[dict]:
        """The e-mails queued (the keyword arguments of `bpp.mailer.send_email`)."""
        return [
            result.args_kwargs["kwargs"]
            for result in self._results()
            if result.task_path == "bpp.mailer.send_email"
        ]

    def clear(self) -> None:
        self._results().delete()

    def run(self) -> None:
        """Run every queued task with the real worker (`manage.py db_worker --batch`).

        The worker closes "old" connections between tasks; inside a test transaction
        that would close the test's own connection, so that step is skipped here.
        """
        from django.core.management import call_command

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(
                "django_tasks_db.management.commands.db_worker.close_old_connections",
                lambda: None,
            )
            call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")


@pytest.fixture
def django_tasks(db) -> QueuedTasks:
    return QueuedTasks()
