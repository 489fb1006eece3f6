"""
The home page of each role. These pages gather what the apps hold for one kind of
user; no app imports this module.
"""

import datetime

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from bpp.forms import SearchForm
from bpp.people.models import AgentProfile, ProviderContract, Role, name_fields
from bpp.people.permissions import role_required
from bpp.requests import deadlines, spreadsheets
from bpp.requests.models import LIVE, Mode, ReviewRequest, Status
from bpp.requests.views import decision_tabs
from bpp.spreadsheets import xlsx_response
from bpp.tabs import chosen, page_of, seek, window_of
from cohorts import queue
from cohorts.models import (
    Cohort,
    Enrolment,
    Evaluation,
    Session,
    waiting_for_a_seat,
)
from cohorts.permissions import cohorts_led_by
from synthesis.models import (
    Audience,
    FollowUp,
    ProviderCopy,
    ShareRequest,
    SupportRequest,
    Synthesis,
)
from synthesis.models import Status as SynthesisStatus
from synthesis.permissions import led_by

PAGE_SIZE = 25
# A search on the agents' names that matches more of them is refused, with a word asking
# to narrow it: nobody reads hundreds of namesakes, and sorting them all and finding their
# requests (one agent in eight answers « ichar » in the seed) cost the HR space 150 ms at
# 100,000 agents, against 35 at 1,000.
SEARCH_LIMIT = 200
# The agents in name order: the order of the `user_by_name` index, read from a bookmark
# however far in the list (bpp.tabs.seek).
BY_NAME = ("user__last_name", "user__first_name", "user__id")
# A search's matches in alphabetical order whatever the case: « de Richemont » before
# « Durichard ». They are few (SEARCH_LIMIT at most), and sorted without an index.
BY_NAME_ANY_CASE = ("last_name_lower", "first_name_lower", "user__id")
DASHBOARD_ROWS = 10
# How far back the counsellor's dashboard looks for sessions whose attendance is missing.
ATTENDANCE_LOOKBACK = datetime.timedelta(days=30)
# A cohort about to start: its alerts (too few agents, unsigned contracts) show from then.
START_ALERT_HORIZON = datetime.timedelta(days=14)

HOME_URLS = {
    Role.AGENT: "portals:agent",
    Role.MANAGER: "portals:manager",
    Role.HR: "portals:hr",
    Role.CMC: "portals:cmc",
    Role.PROVIDER: "portals:provider",
    Role.DISABILITY_OFFICER: "portals:disability_officer",
    Role.HR_ADMIN: "portals:hr_admin",
}


def home(request: HttpRequest) -> HttpResponse:
    if request.role is None:
        return render(request, "portals/no_role.html", status=403)
    return redirect(HOME_URLS[request.role])


@role_required(Role.AGENT)
def agent(request: HttpRequest) -> HttpResponse:
    profile = AgentProfile.objects.select_related("organisation", "service", "manager").get(
        user=request.user
    )
    requests = list(ReviewRequest.objects.filter(agent=profile).select_related("proposed_by")[:10])
    live = next((r for r in requests if r.current_state in LIVE), None)
    enrolment = Enrolment.objects.current().filter(agent=profile).select_related("cohort").first()
    return render(
        request,
        "portals/agent.html",
        {
            "profile": profile,
            "live_request": live,
            "enrolment": enrolment,
            "phases": enrolment.cohort.phases.all() if enrolment else [],
            "expected": queue.expected_start(live) if live and not enrolment else None,
            "evaluations": Evaluation.objects.filter(
                enrolment__agent=profile, answered_at__isnull=True
            )
            .select_related("enrolment__cohort")
            .order_by("sent_at", "pk"),
            "follow_ups": FollowUp.objects.filter(
                synthesis__enrolment__agent=profile,
                synthesis__destroyed_at__isnull=True,
                answered_at__isnull=True,
            ).order_by("sent_at", "pk"),
            "sessions": enrolment.visible_sessions() if enrolment else [],
            "synthesis": Synthesis.objects.filter(enrolment=enrolment).first()
            if enrolment
            else None,
            "past_requests": [r for r in requests if r is not live],
            "share_requests": ShareRequest.objects.awaiting_answer()
            .filter(synthesis__enrolment__agent=profile)
            .select_related("asked_by", "organisation")
            .order_by("asked_at", "pk"),
            "today": deadlines.legal_today(),
            "deadline_if_sent_today": deadlines.decision_deadline(deadlines.legal_today()),
        },
    )


@role_required(Role.MANAGER)
def manager(request: HttpRequest) -> HttpResponse:
    """The manager's space in tabs: the requests to decide, those decided, the team, the
    syntheses shared with them; each tab with its count and its pages."""
    requests = ReviewRequest.objects.decidable_by(request.user)
    team = AgentProfile.objects.filter(manager=request.user)
    shared = Synthesis.objects.alive().filter(
        enrolment__agent__manager=request.user,
        consents__audience=Audience.MANAGER,
        consents__recipient=request.user,  # not a consent to a former manager
        consents__revoked_at__isnull=True,
    )
    to_decide, decided = decision_tabs(deadlines.legal_today())[:2]
    counts = requests.order_by().aggregate(
        to_decide=Count("pk", filter=to_decide.rows), decided=Count("pk", filter=decided.rows)
    )
    tabs = [
        (to_decide.key, to_decide.label, counts["to_decide"]),
        (decided.key, decided.label, counts["decided"]),
        ("equipe", "Mon équipe", team.count()),
        ("syntheses", "Synthèses partagées avec moi", shared.count()),
    ]
    current = chosen(request, [key for key, *_ in tabs])
    label, count = next((label, count) for key, label, count in tabs if key == current)
    if current == "equipe":
        team, order = _agents_listed(team)
        page = page_of(request, team.order_by(*order), page_size=PAGE_SIZE, count=count)
        template = "portals/_manager_team.html"
    elif current == "syntheses":
        shared = shared.select_related("enrolment__agent__user", "enrolment__cohort").order_by(
            "enrolment__agent__user__last_name", "pk"
        )
        page = page_of(request, shared, page_size=PAGE_SIZE, count=count)
        template = "portals/_manager_shared.html"
    else:
        tab = to_decide if current == to_decide.key else decided
        rows = requests.filter(tab.rows).select_related("agent__user", "agent__service")
        page = page_of(request, rows.order_by(*tab.order), page_size=PAGE_SIZE, count=count)
        template = "portals/_manager_requests.html"
    return render(
        request,
        "portals/manager.html",
        {
            "tabs": tabs,
            "current_tab": current,
            "current_tab_label": label,
            "page_obj": page,
            "tab_template": template,
        },
    )


def _agents_listed(agents, *, searched: bool = False) -> tuple[QuerySet, tuple[str, ...]]:
    """The agents, each with their running request if any, and whether they have a
    signed synthesis (for the team tables); and the order to list them in."""
    live = Prefetch(
        "review_requests", ReviewRequest.objects.in_state(*LIVE), to_attr="live_requests"
    )
    signed = Synthesis.objects.filter(
        enrolment__agent=OuterRef("pk"), status=SynthesisStatus.SIGNED
    )
    listed = (
        agents.select_related("user", "service")
        .prefetch_related(live)
        .annotate(has_signed_synthesis=Exists(signed))  # its sharing may be asked for
    )
    if searched:
        lower = {
            "last_name_lower": Lower("user__last_name"),
            "first_name_lower": Lower("user__first_name"),
        }
        return listed.annotate(**lower), BY_NAME_ANY_CASE
    return listed, BY_NAME


@role_required(Role.HR)
def hr(request: HttpRequest) -> HttpResponse:
    """The HR service's space in tabs: the postponements awaiting its agreement, the
    approved requests waiting for a place, the requests by state, the agents; one search
    on the agent's name for them all."""
    organisations = request.user.organisations_for(Role.HR)
    search = SearchForm(request.GET)
    requests = ReviewRequest.objects.filter(organisation__in=organisations)
    agents = AgentProfile.objects.filter(organisation__in=organisations).exclude(user=request.user)
    if query := search.query:
        # The matched agents, SEARCH_LIMIT + 1 at most, in no order: PostgreSQL stops
        # reading as soon as it has them. Within the limit, the agents tab reads them by
        # their ids, and the requests of so few people are cheap to find by name (which
        # also finds those of agents gone to another employer, and the HR user's own).
        found = agents.matching(query).order_by().values_list("pk", flat=True)
        found = list(found[: SEARCH_LIMIT + 1])
        if len(found) > SEARCH_LIMIT:
            search.add_error(
                "q",
                f"Plus de {SEARCH_LIMIT} agents correspondent à « {query} » : précisez votre "
                "recherche, par exemple avec le prénom et le nom.",
            )
        else:
            requests = requests.matching(query)
            agents = agents.filter(pk__in=found)
    current = chosen(request, ["reports", "en-attente", "demandes", "agents"])
    # Counting the requests by state reads every one of them (20,000 at a ministry's
    # size): only the tab that offers to choose a state pays for it. The others count
    # off indexes: the postponements to approve, and all the requests.
    if current == "demandes":
        by_state = dict(requests.values_list("state").annotate(n=Count("pk")).order_by())
        postponements, total = (
            by_state.get(Status.POSTPONEMENT_REQUESTED, 0),
            sum(by_state.values()),
        )
    else:
        by_state = {}
        postponements = requests.in_state(Status.POSTPONEMENT_REQUESTED).count()
        total = requests.count()
    waiting = waiting_for_a_seat(requests)
    tabs = [
        ("reports", "Reports à approuver", postponements),
        ("en-attente", "En attente d’une place", waiting.count()),
        ("demandes", "Demandes", total),
        ("agents", "Agents", None),  # a ministry's agents: too many to count each time
    ]
    count = next(count for key, _, count in tabs if key == current)
    status = request.GET.get("statut", "")
    if status not in Status.values:
        status = ""
    shown = ("agent__user", "agent__service")
    if current == "agents":
        listed, order = _agents_listed(agents, searched=bool(search.query))
        refused = ["q"] if search.errors else []
        page = seek(request, listed, order=order, page_size=PAGE_SIZE, dropped=refused)
        template = "portals/_hr_agents.html"
    elif current == "en-attente":
        waiting = waiting.select_related(*shown)
        page = page_of(request, waiting, page_size=PAGE_SIZE, count=count)
        template = "portals/_hr_waiting.html"
    elif current == "reports":
        postponements = requests.in_state(Status.POSTPONEMENT_REQUESTED).select_related(*shown)
        postponements = postponements.order_by("decision_deadline", "pk")
        page = page_of(request, postponements, page_size=PAGE_SIZE, count=count)
        template = "portals/_hr_postponements.html"
    else:
        listed = requests.in_state(status) if status else requests
        listed = listed.select_related(*shown).order_by("-created_at", "-pk")
        count = by_state.get(status, 0) if status else count
        page = page_of(request, listed, page_size=PAGE_SIZE, count=count)
        template = "portals/_hr_requests.html"
    return render(
        request,
        "portals/hr.html",
        {
            "organisations": organisations,
            "tabs": tabs,
            "current_tab": current,
            "tab_template": template,
            "page_obj": page,
            "states": [(s.value, s.label, by_state.get(s.value, 0)) for s in Status],
            "current_status": status,
            "current_status_label": Status(status).label if status else "toutes",
            "search": search,
            "query": search.query,
        },
    )


@role_required(Role.HR)
def hr_requests_xlsx(request: HttpRequest) -> FileResponse:
    """Every request of the HR service's employers (of one state with ?statut=), as XLSX."""
    requests = ReviewRequest.objects.filter(
        organisation__in=request.user.organisations_for(Role.HR)
    )
    status = request.GET.get("statut", "")
    if status in Status.values:
        requests = requests.in_state(status)
    return xlsx_response(
        filename=f"demandes-{timezone.localdate():%Y%m%d}.xlsx",
        title="Demandes de bilan",
        columns=spreadsheets.REQUEST_COLUMNS,
        version=spreadsheets.REQUEST_COLUMNS_VERSION,
        rows=spreadsheets.request_rows(requests),
    )


@role_required(Role.CMC)
def cmc(request: HttpRequest) -> HttpResponse:
    """The page a counsellor keeps open all day: each item links to where the work is done."""
    user, now = request.user, timezone.now()
    organisations = request.user.organisations_for(Role.CMC)
    horizon = timezone.localdate(now) + START_ALERT_HORIZON
    led = Cohort.objects.led_by(user).filter(cancelled_at__isnull=True)
    # Read once for the list and the alerts below: a counsellor leads a few dozen cohorts
    # at a time, however large the ministry.
    mine = list(
        led.filter(concluded_at__isnull=True)
        .only("title", "formula", "capacity", "seats_taken", "current_phase")
        .with_start()
        .with_next_session(now)
        .order_by("starts_on", "pk")
    )

    def starts_soon(cohort: Cohort) -> bool:
        return cohort.starts_on is not None and cohort.starts_on <= horizon

    # Started, or starting soon: an unsigned contract then needs chasing.
    under_way = [c.pk for c in mine if c.current_phase is not None or starts_soon(c)]
    waiting = waiting_for_a_seat(
        ReviewRequest.objects.filter(organisation__in=organisations)
        .select_related("agent__user")
        # What the matching reads (`queue.suits`), and the agent's name.
        .only(
            "organisation_id",
            "preferred_mode",
            "is_priority",
            "agent__work_departement",
            *name_fields("agent__user"),
        )
    )[:DASHBOARD_ROWS]
    return render(
        request,
        "portals/cmc.html",
        {
            "cohorts": mine[:PAGE_SIZE],
            "waiting": queue.with_suitable_cohorts(waiting, organisations, limit=1),
            # A cohort concluded lately may still miss the attendance of its last sessions.
            "to_record": Session.objects.filter(
                cohort__in=led,
                cancelled_at__isnull=True,
                starts_at__gte=now - ATTENDANCE_LOOKBACK,
                starts_at__lte=now,
            )
            .annotate(
                expected=Count("participants", distinct=True),
                recorded=Count("attendances", distinct=True),
            )
            .filter(recorded__lt=F("expected"))
            .select_related("cohort")
            .only("title", "starts_at", "cohort__title")
            .order_by("starts_at")[:DASHBOARD_ROWS],
            "to_sign": Synthesis.objects.alive()
            .of_cohorts_led_by(user)
            .awaiting_leader()
            .select_related("enrolment__agent__user", "enrolment__cohort")
            .only(
                "finalised_at", "enrolment__cohort__title", *name_fields("enrolment__agent__user")
            )
            .order_by("finalised_at", "pk")[:DASHBOARD_ROWS],
            # The agents who asked for help to finalise their synthesis (guide, l. 491).
            "support_requests": SupportRequest.objects.open()
            .filter(synthesis__in=led_by(user, now))
            .select_related("synthesis__enrolment__agent__user", "synthesis__enrolment__cohort")
            .only(
                "created_at",
                "synthesis__enrolment__cohort__title",
                *name_fields("synthesis__enrolment__agent__user"),
            )
            .order_by("created_at", "pk")[:DASHBOARD_ROWS],
            "small_cohorts": [
                c for c in mine if c.current_phase is None and c.lacks_agents and starts_soon(c)
            ][:DASHBOARD_ROWS],
            # The database already refuses a session with neither; what the cohort's mode
            # needs may still be missing (a remote session without its link...).
            "sessions_without_place": Session.objects.filter(
                cohort__in=mine, cancelled_at__isnull=True, starts_at__gte=now
            )
            .filter(
                Q(place="", cohort__mode__in=[Mode.ON_SITE, Mode.HYBRID])
                | Q(video_link="", cohort__mode__in=[Mode.REMOTE, Mode.HYBRID])
            )
            .select_related("cohort")
            .only("title", "starts_at", "place", "cohort__title")
            .order_by("starts_at")[:DASHBOARD_ROWS],
            "unsigned_contracts": Enrolment.objects.current()
            .filter(cohort__in=under_way, contract_signed_at__isnull=True)
            .select_related("agent__user", "cohort")
            .only("cohort__title", *name_fields("agent__user"))
            .order_by("cohort__title", "agent__user__last_name")[:DASHBOARD_ROWS],
        },
    )


@role_required(Role.PROVIDER)
def provider(request: HttpRequest) -> HttpResponse:
    """A provider's consultant: the cohorts they lead, their next sessions, the syntheses
    awaiting their signature, and when their access ends (they keep no document)."""
    user, now = request.user, timezone.now()
    providers = [a.provider for a in user.role_assignments_cache if a.provider_id]
    led = cohorts_led_by(user, now)
    return render(
        request,
        "portals/provider.html",
        {
            "providers": providers,
            "cohorts": led.select_related("organisation")
            .with_start()
            .with_next_session(now)
            .order_by("starts_on", "pk")[:PAGE_SIZE],
            "sessions": Session.objects.filter(
                cohort__in=led, cancelled_at__isnull=True, starts_at__gte=now
            )
            .select_related("cohort")
            .order_by("starts_at", "pk")[:DASHBOARD_ROWS],
            "to_sign": led_by(user, now)
            .awaiting_leader()
            .select_related("enrolment__agent__user", "enrolment__cohort")
            .order_by("finalised_at", "pk")[:DASHBOARD_ROWS],
            "contracts": ProviderContract.objects.filter(provider__in=providers)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=deadlines.legal_today()))
            .select_related("organisation", "provider")
            .order_by("organisation__name", "starts_on", "pk"),
            "access_days": settings.PROVIDER_ACCESS_DAYS,
            "copies_due": ProviderCopy.objects.filter(consultant=user).due(now).count(),
        },
    )


@role_required(Role.DISABILITY_OFFICER)
def disability_officer(request: HttpRequest) -> HttpResponse:
    organisations = request.user.organisations_for(Role.DISABILITY_OFFICER)
    # The fact only: who takes a review and since when, never what they asked for.
    informed = (
        ReviewRequest.objects.filter(
            organisation__in=organisations,
            agent__covered_by_l5212_13=True,
        )
        .in_state(Status.APPROVED)
        .select_related("agent__user", "agent__service")
        .order_by("-decided_at", "-pk")
    )
    page = window_of(request, informed, page_size=PAGE_SIZE)
    return render(
        request,
        "portals/disability_officer.html",
        {"organisations": organisations, "page_obj": page},
    )


@role_required(Role.HR_ADMIN)
def hr_admin(request: HttpRequest) -> HttpResponse:
    organisations = request.user.organisations_for(Role.HR_ADMIN)
    return render(request, "portals/hr_admin.html", {"organisations": organisations})
