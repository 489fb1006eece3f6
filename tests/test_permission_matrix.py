"""
Every URL of the project, requested by every persona, answers the expected status.

A URL pattern that is not listed here makes `test_every_url_is_in_the_matrix` fail:
whoever adds a page must say who may open it.

The world is built once for the ~1,000 cases; each case runs in its own savepoint, rolled
back after it, so that a POST changes nothing for the next case.
"""

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from django.contrib import admin
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from bpp.requests import deadlines
from cohorts.models import ExerciseAnswer, ItemKind, ProgrammeDelivery, ProgrammeItem
from synthesis.models import Audience, ShareRequest
from tests.conftest import PERSONAS, World, build_world


def statuses(default: int, **overrides: int) -> dict[str, int]:
    unknown = set(overrides) - set(PERSONAS)
    assert not unknown, f"unknown personas: {unknown}"
    return {persona: overrides.get(persona, default) for persona in PERSONAS}


@dataclass
class Case:
    expected: dict[str, int]
    method: str = "get"
    url: Callable[[World], str] | None = None  # for patterns with arguments
    data: dict = field(default_factory=dict)


def share_request_in(world: World) -> ShareRequest:
    """An ask of the manager about the world's synthesis (made for the case, rolled back)."""
    return ShareRequest.objects.create(
        synthesis=world.synthesis,
        audience=Audience.MANAGER,
        asked_by=world.users["manager"],
        asked_at=timezone.now(),
    )


def exercise_sent(world: World) -> ProgrammeItem:
    """A national exercise sent to the enrolled agent (made once for the case, rolled back)."""
    exercise = ProgrammeItem.objects.national().filter(kind=ItemKind.EXERCISE).first()
    if exercise is None:  # a browser test's database, emptied with the programme's seed
        exercise = ProgrammeItem.objects.create(
            phase=2, kind=ItemKind.EXERCISE, title="Vos réussites", body="…", section="achievements"
        )
    ProgrammeDelivery.objects.get_or_create(
        item=exercise,
        enrolment=world.enrolment,
        defaults={"sent_at": timezone.now(), "run": uuid.uuid4()},
    )
    return exercise


def answered(world: World) -> ProgrammeItem:
    """That exercise, answered by the agent."""
    exercise = exercise_sent(world)
    ExerciseAnswer.write(
        enrolment=world.enrolment, item=exercise, text="Le service public.", now=timezone.now()
    )
    return exercise


def employer_item(world: World) -> ProgrammeItem:
    """An item of the employer's programme (made once for the case, rolled back)."""
    return ProgrammeItem.objects.get_or_create(
        organisation=world.organisation, phase=2, kind=ItemKind.MESSAGE, title="Un mot", body="…"
    )[0]


def this_year() -> int:
    return deadlines.legal_today().year


def role_page(*personas: str) -> dict[str, int]:
    """A page of one role: 200 for it, 403 for the other people, login for the anonymous."""
    return statuses(403, anonymous=302, **dict.fromkeys(personas, 200))


MATRIX: dict[str, Case] = {
    "home": Case(statuses(302)),
    "login": Case(statuses(302, anonymous=200)),
    "logout": Case(statuses(302), method="post"),
    # ProConnect is not configured in the tests' settings: its URLs do not exist
    # (tests/people/views/test_proconnect.py signs in through them).
    "proconnect_login": Case(statuses(404)),
    "proconnect_callback": Case(statuses(404)),
    "account": Case(statuses(200, anonymous=302)),
    "calendar_address": Case(statuses(200, anonymous=302)),
    "password_change": Case(statuses(200, anonymous=302)),
    "password_change_done": Case(statuses(200, anonymous=302)),
    # The second factor: one's own, never another's (nobody has one in the world, and the
    # recovery codes are shown only just after they are made).
    "second_factor_verify": Case(statuses(302)),  # nothing to verify: to the enrolment
    "second_factor_enrol": Case(statuses(200, anonymous=302)),
    "second_factor_codes": Case(statuses(302)),
    "second_factor_codes_text": Case(statuses(302)),
    "second_factor_renew_codes": Case(statuses(302)),  # no application yet: to the enrolment
    "second_factor_replace": Case(statuses(302)),
    "password_reset": Case(statuses(200)),
    "password_reset_confirm": Case(
        statuses(200),  # an invalid link says so, to everyone
        url=lambda w: reverse("password_reset_confirm", args=["MQ", "lien-perime"]),
    ),
    "password_reset_complete": Case(statuses(200)),
    "switch_role": Case(
        statuses(403, anonymous=302, agent=302, other_agent=302, enrolled_agent=302),
        method="post",
        data={"role": "agent"},
    ),
    "healthz": Case(statuses(200)),
    # The pages of every footer, for everyone, signed in or not.
    "privacy": Case(statuses(200)),
    "accessibility": Case(statuses(200)),
    "legal_notice": Case(statuses(200)),
    "contact": Case(statuses(200)),
    # Notifications: every signed-in person has theirs; nobody reads another's, whatever
    # their role (the world's one was sent to the agent).
    "notifications:inbox": Case(statuses(200, anonymous=302)),
    "notifications:detail": Case(
        statuses(404, anonymous=302, agent=200),
        url=lambda w: reverse("notifications:detail", args=[w.notification.pk]),
    ),
    "notifications:open": Case(
        statuses(404, anonymous=302, agent=302),
        method="post",
        url=lambda w: reverse("notifications:open", args=[w.notification.pk]),
    ),
    "notifications:read_all": Case(statuses(302), method="post"),
    "portals:agent": Case(role_page("agent", "other_agent", "enrolled_agent")),
    # Each agent's own data: the URL names nobody, so nobody gets another's.
    "portals:my_data": Case(role_page("agent", "other_agent", "enrolled_agent")),
    "portals:manager": Case(role_page("manager")),
    "portals:hr": Case(role_page("hr")),
    "portals:hr_requests_xlsx": Case(role_page("hr")),
    "portals:cmc": Case(role_page("cmc")),
    "portals:provider": Case(role_page("provider")),
    "portals:disability_officer": Case(role_page("disability_officer")),
    "portals:hr_admin": Case(role_page("hr_admin")),
    "portals:indicators": Case(role_page("hr", "hr_admin")),
    "portals:indicators_csv": Case(role_page("hr", "hr_admin")),
    # The employer's quality index and reports: its HR and HR admins (another employer's is
    # a 404, tests/pages/views/test_quality.py); the yearly answers: its HR admins only.
    **{
        name: Case(
            role_page("hr", "hr_admin"),
            url=lambda w, name=name: reverse(name, args=[w.organisation.pk, this_year()]),
        )
        for name in (
            "portals:quality_index",
            "portals:csa_pdf",
            "portals:csa_xlsx",
            "portals:social_database",
        )
    },
    **{
        name: Case(
            role_page("hr_admin"),
            url=lambda w, name=name: reverse(name, args=[w.organisation.pk, this_year()]),
        )
        for name in ("portals:quality_declaration", "portals:quality_criteria")
    },
    # Imports of agents: the employer's HR admins (another employer's is a 404,
    # tests/pages/views/test_imports.py).
    **{
        name: Case(
            role_page("hr_admin"), url=lambda w, name=name: reverse(name, args=[w.organisation.pk])
        )
        for name in ("portals:imports", "portals:import_mapping")
    },
    "portals:import_run": Case(
        role_page("hr_admin"), url=lambda w: reverse("portals:import_run", args=[w.import_run.pk])
    ),
    **{
        name: Case(
            statuses(403, anonymous=302, hr_admin=302),
            method="post",
            url=lambda w, name=name: reverse(name, args=[w.import_run.pk]),
        )
        for name in ("portals:import_confirm", "portals:import_abandon")
    },
    # Requests: the agent's own, their manager's and HR's; a 404 for everyone else.
    "requests:new": Case(
        statuses(403, anonymous=302, agent=302, other_agent=302, enrolled_agent=302)
    ),
    "requests:detail": Case(
        statuses(404, anonymous=302, agent=200, manager=200, hr=200),
        url=lambda w: reverse("requests:detail", args=[w.request.pk]),
    ),
    "requests:answer_proposal": Case(
        statuses(404, anonymous=302, other_agent=200),
        url=lambda w: reverse("requests:answer_proposal", args=[w.proposal.pk]),
    ),
    "requests:disability_officer": Case(
        statuses(404, anonymous=302, agent=302),  # the agent's own: back to the request
        method="post",
        url=lambda w: reverse("requests:disability_officer", args=[w.request.pk]),
        data={"associate": "oui"},
    ),
    "requests:withdraw": Case(
        statuses(404, anonymous=302, agent=200),
        url=lambda w: reverse("requests:withdraw", args=[w.request.pk]),
    ),
    "requests:decide": Case(
        statuses(404, anonymous=302, manager=200, hr=200),
        url=lambda w: reverse("requests:decide", args=[w.request.pk]),
    ),
    "requests:postponement": Case(
        statuses(404, anonymous=302, hr=302),  # HR only, and nothing to answer here
        url=lambda w: reverse("requests:postponement", args=[w.request.pk]),
    ),
    "requests:to_decide": Case(role_page("manager", "hr")),
    "requests:propose": Case(
        statuses(404, anonymous=302, manager=200, hr=200),
        url=lambda w: reverse("requests:propose", args=[w.request.agent_id]),
    ),
    # Cohorts: the offer for agents and staff; the rest for the employer's HR, CMCs, HR
    # admins (a 404 for a cohort of another employer), and leaders.
    "cohorts:offer": Case(
        statuses(
            403,
            anonymous=302,
            agent=200,
            other_agent=200,
            enrolled_agent=200,
            cmc=200,
            hr=200,
            hr_admin=200,
        )
    ),
    "cohorts:dashboard": Case(role_page("cmc", "hr", "hr_admin", "provider")),
    "cohorts:create": Case(role_page("cmc", "hr", "hr_admin")),
    "cohorts:queue": Case(role_page("cmc", "hr", "hr_admin")),
    "cohorts:queue_csv": Case(role_page("cmc", "hr", "hr_admin")),
    "cohorts:queue_xlsx": Case(role_page("cmc", "hr", "hr_admin")),
    "cohorts:attendance_xlsx": Case(role_page("cmc", "hr", "hr_admin")),
    "cohorts:queue_history": Case(role_page("cmc", "hr", "hr_admin")),
    "cohorts:detail": Case(
        statuses(404, anonymous=302, cmc=200, hr=200, hr_admin=200),
        url=lambda w: reverse("cohorts:detail", args=[w.cohort.pk]),
    ),
    "cohorts:edit": Case(
        role_page("cmc", "hr", "hr_admin"),
        url=lambda w: reverse("cohorts:edit", args=[w.cohort.pk]),
    ),
    "cohorts:progress": Case(
        statuses(404, anonymous=302, cmc=302, hr=302, hr_admin=302),
        method="post",
        url=lambda w: reverse("cohorts:progress", args=[w.cohort.pk]),
    ),
    "cohorts:allow_small_start": Case(
        statuses(404, anonymous=302, cmc=403, hr=403, hr_admin=302),
        method="post",
        url=lambda w: reverse("cohorts:allow_small_start", args=[w.cohort.pk]),
    ),
    "portals:place": Case(
        statuses(404, anonymous=302, cmc=200, hr=200, hr_admin=200),
        url=lambda w: reverse("portals:place", args=[w.cohort.pk]) + f"?demande={w.request.pk}",
    ),
    "cohorts:confidentiality": Case(
        statuses(404, anonymous=302, cmc=302, hr=302, hr_admin=302),
        method="post",
        url=lambda w: reverse("cohorts:confidentiality", args=[w.cohort.pk]),
    ),
    # The programme: the agent's own, in their cohort; the answers theirs, the leader's
    # page the leader's alone (not the employer's staff); the employer's for its HR admin.
    "portals:programme": Case(
        statuses(403, anonymous=302, agent=404, other_agent=404, enrolled_agent=200)
    ),
    "portals:exercise": Case(
        statuses(403, anonymous=302, agent=404, other_agent=404, enrolled_agent=200),
        url=lambda w: reverse("portals:exercise", args=[exercise_sent(w).pk]),
    ),
    **{
        name: Case(
            statuses(403, anonymous=302, agent=404, other_agent=404, enrolled_agent=302),
            method="post",
            url=lambda w, name=name: reverse(name, args=[answered(w).pk]),
        )
        for name in ("portals:show_answer", "portals:copy_answer")
    },
    "portals:cohort_programme": Case(
        statuses(404, anonymous=302, cmc=200),
        url=lambda w: reverse("portals:cohort_programme", args=[w.cohort.pk]),
    ),
    "portals:cohort_programme_customise": Case(
        statuses(404, anonymous=302, cmc=302),
        method="post",
        url=lambda w: reverse("portals:cohort_programme_customise", args=[w.cohort.pk]),
    ),
    "portals:cohort_programme_reset": Case(
        statuses(404, anonymous=302, cmc=200),  # the confirmation page
        url=lambda w: reverse("portals:cohort_programme_reset", args=[w.cohort.pk]),
    ),
    "portals:cohort_programme_add": Case(
        statuses(404, anonymous=302, cmc=302),  # customise first
        url=lambda w: reverse("portals:cohort_programme_add", args=[w.cohort.pk]),
    ),
    "portals:employer_programme": Case(
        statuses(404, anonymous=302, hr_admin=200),
        url=lambda w: reverse("portals:employer_programme", args=[w.organisation.pk]),
    ),
    "portals:employer_programme_customise": Case(
        statuses(404, anonymous=302, hr_admin=302),
        method="post",
        url=lambda w: reverse("portals:employer_programme_customise", args=[w.organisation.pk]),
    ),
    "portals:employer_programme_reset": Case(
        statuses(404, anonymous=302, hr_admin=200),
        url=lambda w: reverse("portals:employer_programme_reset", args=[w.organisation.pk]),
    ),
    "portals:employer_programme_add": Case(
        statuses(404, anonymous=302, hr_admin=302),
        url=lambda w: reverse("portals:employer_programme_add", args=[w.organisation.pk]),
    ),
    **{
        name: Case(
            statuses(404, anonymous=302, hr_admin=200),
            url=lambda w, name=name: reverse(name, args=[employer_item(w).pk]),
        )
        for name in ("portals:programme_item_edit", "portals:programme_item_delete")
    },
    "cohorts:sign_contract": Case(
        statuses(404, anonymous=302, enrolled_agent=200),
        url=lambda w: reverse("cohorts:sign_contract", args=[w.enrolment.pk]),
    ),
    **{
        name: Case(
            statuses(404, anonymous=302, cmc=200, hr=200, hr_admin=200),
            url=lambda w, name=name: reverse(name, args=[w.cohort.pk]),
        )
        for name in ("cohorts:session_create", "cohorts:interviews_create")
    },
    **{
        name: Case(
            statuses(404, anonymous=302, cmc=200, hr=200, hr_admin=200),
            url=lambda w, name=name: reverse(name, args=[w.session.pk]),
        )
        for name in (
            "cohorts:session_edit",
            "cohorts:session_cancel",  # the confirmation page
            "cohorts:attendance",
            "cohorts:attendance_code",  # the code shown in the room (not open yet here)
            "cohorts:attendance_sheet",
            "cohorts:session_ics",  # and the session's participants
        )
    },
    "cohorts:certify_attendance": Case(
        statuses(404, anonymous=302, cmc=200, hr=403, hr_admin=403),  # the leader certifies
        url=lambda w: reverse("cohorts:certify_attendance", args=[w.session.pk]),
    ),
    "cohorts:sign_presence": Case(
        # The session's participants only; this phase 2 session, once the contract is signed.
        statuses(404, anonymous=302),
        url=lambda w: reverse("cohorts:sign_presence", args=[w.session.pk]),
    ),
    "cohorts:evaluation": Case(
        statuses(404, anonymous=302, enrolled_agent=200),  # only the agent it was sent to
        url=lambda w: reverse("cohorts:evaluation", args=[w.evaluation.pk]),
    ),
    "cohorts:evaluation_results": Case(
        statuses(404, anonymous=302, cmc=200, hr=200, hr_admin=200),
        url=lambda w: reverse("cohorts:evaluation_results", args=[w.cohort.pk]),
    ),
    "cohorts:agenda": Case(role_page("cmc", "provider")),
    # The secret address is the key: whoever holds it, signed in or not, reads the feed.
    "cohorts:calendar_feed": Case(
        statuses(200), url=lambda w: reverse("cohorts:calendar_feed", args=[w.calendar_token])
    ),
    "cohorts:my_calendar": Case(statuses(404, anonymous=302, enrolled_agent=200)),
    "cohorts:quality": Case(role_page("agent", "other_agent", "enrolled_agent")),
    "cohorts:leave": Case(
        statuses(404, anonymous=302, enrolled_agent=200),
        url=lambda w: reverse("cohorts:leave", args=[w.enrolment.pk]),
    ),
    # Syntheses: the agent's own (the enrolled agent) and the cohort's leader (the CMC);
    # nobody else without the agent's consent, not even HR or the HR admin: a 404.
    "synthesis:mine": Case(
        statuses(403, anonymous=302, agent=200, other_agent=200, enrolled_agent=302)
    ),
    "synthesis:index": Case(role_page("cmc", "provider", "manager", "hr")),
    **{
        name: Case(
            statuses(404, anonymous=302, enrolled_agent=200, cmc=200),
            url=lambda w, name=name: reverse(name, args=[w.synthesis.pk]),
        )
        for name in (
            "synthesis:detail",
            "synthesis:edit",
            "synthesis:versions",
            "synthesis:pdf",
        )
    },
    "synthesis:autosave": Case(
        statuses(404, anonymous=302, enrolled_agent=200, cmc=200),  # each one's own draft
        method="post",
        url=lambda w: reverse("synthesis:autosave", args=[w.synthesis.pk]),
        data={"based_on": "1", "actions-TOTAL_FORMS": "0", "actions-INITIAL_FORMS": "0"},
    ),
    "synthesis:discard_draft": Case(
        statuses(404, anonymous=302, enrolled_agent=302, cmc=302),  # no draft: back
        url=lambda w: reverse("synthesis:discard_draft", args=[w.synthesis.pk]),
    ),
    "synthesis:version": Case(
        statuses(404, anonymous=302, enrolled_agent=200, cmc=200),
        url=lambda w: reverse("synthesis:version", args=[w.synthesis.pk, 1]),
    ),
    "synthesis:sign": Case(
        statuses(404, anonymous=302, enrolled_agent=302, cmc=302),  # not finalised yet
        url=lambda w: reverse("synthesis:sign", args=[w.synthesis.pk]),
    ),
    "synthesis:comment": Case(
        statuses(404, anonymous=302, enrolled_agent=302, cmc=302),
        method="post",
        url=lambda w: reverse("synthesis:comment", args=[w.synthesis.pk]),
    ),
    **{
        name: Case(
            statuses(404, anonymous=302, enrolled_agent=200),  # the agent's decisions only
            url=lambda w, name=name: reverse(name, args=[w.synthesis.pk]),
        )
        for name in (
            "synthesis:finalise",
            "synthesis:reopen",
            "synthesis:sharing",
            "synthesis:destroy",
        )
    },
    "synthesis:transmit": Case(
        statuses(404, anonymous=302),  # only after a provider-led cohort, not this one
        url=lambda w: reverse("synthesis:transmit", args=[w.synthesis.pk]),
    ),
    "synthesis:answer_leader": Case(
        statuses(404, anonymous=302, enrolled_agent=302),  # the agent alone answers
        method="post",
        url=lambda w: reverse("synthesis:answer_leader", args=[w.synthesis.pk]),
    ),
    # Asking an agent to share: their manager today and HR of their employer only.
    "synthesis:ask": Case(
        statuses(404, anonymous=302, manager=200, hr=200),
        url=lambda w: reverse("synthesis:ask", args=[w.request.agent_id]),
    ),
    "synthesis:answer_share_request": Case(
        statuses(404, anonymous=302, enrolled_agent=302),  # the agent asked alone answers
        method="post",
        url=lambda w: reverse("synthesis:answer_share_request", args=[share_request_in(w).pk]),
        data={"accepted": "non"},
    ),
    "synthesis:cohort": Case(
        statuses(404, anonymous=302, cmc=200),
        url=lambda w: reverse("synthesis:cohort", args=[w.cohort.pk]),
    ),
    # The follow-up of the plan: its agent alone until they answer and share it (the
    # leader's reading is tested in tests/synthesis/views/test_follow_ups.py).
    "synthesis:follow_up": Case(
        statuses(404, anonymous=302, enrolled_agent=200),
        url=lambda w: reverse("synthesis:follow_up", args=[w.follow_up.pk]),
    ),
    "synthesis:cohort_follow_ups": Case(
        statuses(404, anonymous=302, cmc=200),
        url=lambda w: reverse("synthesis:cohort_follow_ups", args=[w.cohort.pk]),
    ),
    # The support interview: the agent asks (the page says whether they may), the cohort's
    # leaders answer.
    "synthesis:support_ask": Case(
        statuses(404, anonymous=302, enrolled_agent=200),
        url=lambda w: reverse("synthesis:support_ask", args=[w.synthesis.pk]),
    ),
    "synthesis:support_answer": Case(
        statuses(404, anonymous=302, cmc=200),
        url=lambda w: reverse("synthesis:support_answer", args=[w.support_request.pk]),
    ),
    "synthesis:cohort_zip": Case(
        statuses(404, anonymous=302, cmc=302),  # nothing signed yet: back to the list
        url=lambda w: reverse("synthesis:cohort_zip", args=[w.cohort.pk]),
    ),
    # The copies a provider downloaded: its consultants attest, the employer's staff follow.
    "synthesis:destruction": Case(role_page("provider")),
    "synthesis:cohort_copies": Case(
        statuses(404, anonymous=302, cmc=200, hr=200, hr_admin=200),
        url=lambda w: reverse("synthesis:cohort_copies", args=[w.cohort.pk]),
    ),
    # The admin site: the HR admin's back office.
    "admin:index": Case(role_page("hr_admin")),
    "admin:app_list": Case(
        role_page("hr_admin"), url=lambda w: reverse("admin:app_list", args=["people"])
    ),
    "admin:login": Case(statuses(403, anonymous=302)),
    "admin:logout": Case(statuses(403, anonymous=302, hr_admin=302), method="post"),
    "admin:password_change": Case(role_page("hr_admin")),
    "admin:password_change_done": Case(role_page("hr_admin")),
    "admin:jsi18n": Case(role_page("hr_admin")),
    "admin:autocomplete": Case(
        statuses(403, anonymous=302, hr_admin=200),
        data={"app_label": "people", "model_name": "agentprofile", "field_name": "manager"},
    ),
    "admin:view_on_site": Case(
        statuses(403, anonymous=302, hr_admin=404),
        url=lambda w: reverse("admin:view_on_site", args=[1, 1]),
    ),
    # The read API: a bearer token only, never a session (tests/api/); its schema and
    # documentation are open.
    "api:requests": Case(statuses(401)),
    "api:cohorts": Case(statuses(401)),
    "api:enrolments": Case(statuses(401)),
    "api:sessions": Case(statuses(401)),
    "api:indicators": Case(statuses(401), data={"year": 2026}),
    "api:openapi-json": Case(statuses(200)),
    "api:openapi-view": Case(statuses(200)),
    "api:api-root": Case(statuses(404)),  # django-ninja's: it names the API's base path
    "api:not_found": Case(
        statuses(404), url=lambda w: reverse("api:not_found", args=["demandes/1"])
    ),
}

# Each model of the admin: what the HR admin may do (others get 403, the anonymous a login).
ADMIN_OBJECTS: dict[str, Callable[[World], object]] = {
    "people.organisation": lambda w: w.organisation,
    "people.service": lambda w: w.service,
    "people.provider": lambda w: w.provider_organisation,
    "people.user": lambda w: w.users["agent"],
    "people.roleassignment": lambda w: w.users["hr"].role_assignments.get(),
    "people.providercontract": lambda w: w.contract,
    "requests.reviewrequest": lambda w: w.request,
    "requests.restructuring": lambda w: w.restructuring,
    "synthesis.scheme": lambda w: w.scheme,
    "cohorts.cohort": lambda w: w.cohort,
    "webhooks.endpoint": lambda w: w.webhook_delivery.endpoint,
    "webhooks.delivery": lambda w: w.webhook_delivery,
    "api.apitoken": lambda w: w.api_token,
}
ADMIN_FORBIDDEN_TO_HR_ADMIN = {
    "people.organisation": {"add", "delete"},  # employers are created by the operator
    "people.user": {"delete"},  # accounts are deactivated, never deleted
    "requests.reviewrequest": {"add", "delete"},  # decided in the application, read here
    "cohorts.cohort": {"add", "delete"},  # run in the application, read here
    "webhooks.delivery": {"add", "delete"},  # posted by the worker, read (and resent) here
    "api.apitoken": {"delete"},  # revoked, never deleted
}


def _admin_cases() -> dict[str, Case]:
    cases = {}
    for model in admin.site._registry:
        label = model._meta.label_lower
        prefix = f"admin:{label.replace('.', '_')}"
        obj = ADMIN_OBJECTS[label]
        forbidden = ADMIN_FORBIDDEN_TO_HR_ADMIN.get(label, set())
        for action, with_object in [
            ("changelist", False),
            ("add", False),
            ("change", True),
            ("history", True),
            ("delete", True),
        ]:
            name = f"{prefix}_{action}"
            status = 403 if action in forbidden else 200
            url = (lambda w, n=name, o=obj: reverse(n, args=[o(w).pk])) if with_object else None
            cases[name] = Case(role_page("hr_admin") | {"hr_admin": status}, url=url)
    # Django's UserAdmin names its password page after auth.User, whatever the user model.
    # Nobody sets another person's password: the admin sends a link to their own address.
    cases["admin:auth_user_password_change"] = Case(
        role_page("hr_admin") | {"hr_admin": 403},
        url=lambda w: reverse("admin:auth_user_password_change", args=[w.users["agent"].pk]),
    )
    return cases


ALL_CASES = MATRIX | _admin_cases()


def _url_names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            if pattern.name is None:
                # Only the admin has unnamed patterns (its redirects and catch-all).
                assert namespace == "admin:", f"give {pattern} a name and a line here"
                continue
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_is_in_the_matrix():
    existing = _url_names(get_resolver())
    listed = set(ALL_CASES)
    assert existing - listed == set(), "URLs missing from the permission matrix"
    assert listed - existing == set(), "the matrix lists URLs that no longer exist"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """The world of every case, built once and rolled back after the last case."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(ALL_CASES))
def test_status(world, db, name, persona):
    case = ALL_CASES[name]
    url = case.url(world) if case.url else reverse(name)
    response = getattr(world.client(persona), case.method)(url, case.data)
    assert response.status_code == case.expected[persona], (
        f"{persona} {case.method.upper()} {url}: {response.status_code}"
    )
