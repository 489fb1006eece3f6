"""
The request's transitions with their side effects: the model method changes the
state (row lock, rule, transition log) and the e-mails are queued in the same
transaction, so that a change and its messages are saved together or not at all.
The apps above hear of receipts and decisions once they are committed (`signals`).
"""

import datetime

from django.db import transaction
from django.utils import timezone

from bpp.people.models import AgentProfile, User
from bpp.requests import emails, signals
from bpp.requests.models import ReviewRequest, Status


def _announce_receipt(review_request: ReviewRequest) -> None:
    """A request de droit is approved on receipt: its agent and deciders learn the decision."""
    signals.send_on_commit(signals.requests_received, request_ids=[review_request.pk])
    if review_request.is_de_droit:
        _announce_approval(review_request)
    else:
        emails.request_received(review_request)


def _announce_approval(review_request: ReviewRequest) -> None:
    _announce_decision(review_request)
    if review_request.agent.covered_by_l5212_13:
        emails.disability_officer_informed(review_request)


def _announce_decision(review_request: ReviewRequest) -> None:
    emails.request_decided(review_request)
    signals.send_on_commit(signals.requests_decided, request_ids=[review_request.pk])


def _close_overdue(agent: AgentProfile, now: datetime.datetime) -> None:
    """Record (and announce, as the nightly job would) the agent's overdue requests."""
    closed = ReviewRequest.close_overdue_of(agent, now=now)
    for overdue in closed:
        emails.implicitly_rejected(overdue)
    signals.send_on_commit(signals.requests_implicitly_rejected, request_ids=[r.pk for r in closed])


@transaction.atomic
def submit_request(
    *, agent: AgentProfile, now: datetime.datetime | None = None, **answers
) -> ReviewRequest:
    now = now or timezone.now()
    _close_overdue(agent, now)
    review_request = ReviewRequest.submit(agent=agent, now=now, **answers)
    _announce_receipt(review_request)
    return review_request


@transaction.atomic
def propose_review(
    *, agent: AgentProfile, by: User, message: str, now: datetime.datetime | None = None
) -> ReviewRequest:
    now = now or timezone.now()
    _close_overdue(agent, now)
    review_request = ReviewRequest.propose(agent=agent, by=by, message=message, now=now)
    emails.review_proposed(review_request)
    return review_request


@transaction.atomic
def accept_proposal(
    *, review_request: ReviewRequest, now: datetime.datetime | None = None, **answers
) -> ReviewRequest:
    accepted = review_request.accept_proposal(now=now, **answers)
    _announce_receipt(accepted)
    emails.proposal_answered(accepted)
    return accepted


@transaction.atomic
def decline_proposal(
    *, review_request: ReviewRequest, reason: str = "", now: datetime.datetime | None = None
) -> ReviewRequest:
    declined = review_request.decline_proposal(reason=reason, now=now)
    emails.proposal_answered(declined)
    return declined


@transaction.atomic
def withdraw_request(
    *, review_request: ReviewRequest, reason: str = "", now: datetime.datetime | None = None
) -> ReviewRequest:
    withdrawn = review_request.withdraw(reason=reason, now=now)
    emails.request_withdrawn(withdrawn)
    return withdrawn


@transaction.atomic
def approve_request(
    *, review_request: ReviewRequest, by: User, now: datetime.datetime | None = None
) -> ReviewRequest:
    approved = review_request.approve(by=by, now=now)
    _announce_approval(approved)
    return approved


@transaction.atomic
def choose_disability_officer(
    *, review_request: ReviewRequest, associate: bool, now: datetime.datetime | None = None
) -> ReviewRequest:
    """The agent's choice; once the request is approved, the référent handicap learns of an
    opt-in (before that, the approval tells them)."""
    was_associated = review_request.wants_disability_officer
    chosen = review_request.choose_disability_officer(associate=associate, now=now)
    if chosen.wants_disability_officer and not was_associated and chosen.is_approved:
        emails.disability_officer_informed(chosen)
    return chosen


@transaction.atomic
def refuse_request(
    *,
    review_request: ReviewRequest,
    by: User,
    reason: str,
    now: datetime.datetime | None = None,
) -> ReviewRequest:
    refused = review_request.refuse(by=by, reason=reason, now=now)
    _announce_decision(refused)
    return refused


@transaction.atomic
def postpone_request(
    *,
    review_request: ReviewRequest,
    by: User,
    reason: str,
    start: datetime.date,
    end: datetime.date,
    now: datetime.datetime | None = None,
) -> ReviewRequest:
    postponed = review_request.postpone(by=by, reason=reason, start=start, end=end, now=now)
    if postponed.status == Status.POSTPONED:  # HR decided it as the hierarchical authority
        _announce_decision(postponed)
    else:
        emails.postponement_submitted(postponed)
    return postponed


@transaction.atomic
def answer_postponement(
    *,
    review_request: ReviewRequest,
    by: User,
    agree: bool,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> ReviewRequest:
    answered = review_request.answer_postponement(by=by, agree=agree, reason=reason, now=now)
    emails.postponement_answered(answered, agreed=agree, reason=reason.strip())
    if agree:
        signals.send_on_commit(signals.requests_decided, request_ids=[answered.pk])
    return answered
