"""The rules of the review request, through the model's API."""

import datetime

import pytest
from django.db import IntegrityError

from bpp.people.models import Role
from bpp.requests import deadlines, services
from bpp.requests.models import BADGES, RequestError, ReviewRequest, Status
from cohorts.models import waiting_for_a_seat
from tests.clock import paris
from tests.people.factories import AgentFactory, RoleFactory, UserFactory
from tests.requests.factories import ReviewRequestFactory

pytestmark = pytest.mark.django_db

ANSWERS = {"needs": "Préparer une mobilité vers un autre métier.", "preferred_mode": "distance"}


@pytest.fixture
def agent():
    return AgentFactory(manager=UserFactory())


def submit(agent, when, **answers):
    return services.submit_request(agent=agent, now=when, **(ANSWERS | answers))


def reload(review_request, today=None):
    queryset = ReviewRequest.objects
    if today is not None:
        queryset = queryset.as_of(today)
    return queryset.get(pk=review_request.pk)


# Submission ------------------------------------------------------------------


def test_a_request_received_on_31_december_must_be_answered_by_the_end_of_february(agent):
    review_request = submit(agent, paris(2026, 12, 31, 18))

    assert review_request.received_on == datetime.date(2026, 12, 31)
    assert review_request.decision_deadline == datetime.date(2027, 2, 28)
    assert review_request.status == Status.PENDING


def test_a_request_sent_at_night_is_received_on_the_paris_day(agent):
    # 23:30 UTC on 30 November is 00:30 on 1 December in Paris.
    when = datetime.datetime(2026, 11, 30, 23, 30, tzinfo=datetime.UTC)

    review_request = services.submit_request(agent=agent, now=when, **ANSWERS)

    assert review_request.received_on == datetime.date(2026, 12, 1)
    assert review_request.decision_deadline == datetime.date(2027, 2, 1)


def test_needs_are_required(agent):
    with pytest.raises(RequestError, match="besoins"):
        submit(agent, paris(2026, 11, 2), needs="   ")

    assert not ReviewRequest.objects.exists()


def test_the_disability_officer_is_associated_only_for_agents_covered_by_l5212_13(agent):
    covered = AgentFactory(l5212_13=True)

    plain = submit(agent, paris(2026, 11, 2), wants_disability_officer=True)
    associated = submit(covered, paris(2026, 11, 2), wants_disability_officer=True)

    assert not plain.wants_disability_officer
    assert associated.wants_disability_officer


def test_an_agent_cannot_have_two_requests_running(agent):
    submit(agent, paris(2026, 11, 2))

    with pytest.raises(RequestError, match="déjà une demande"):
        submit(agent, paris(2026, 11, 3))


def test_the_database_forbids_two_live_requests_for_one_agent(agent):
    ReviewRequestFactory(agent=agent)

    with pytest.raises(IntegrityError):
        ReviewRequestFactory(agent=agent)


def test_the_agent_may_ask_again_after_a_refusal(agent):
    first = submit(agent, paris(2026, 11, 2))
    services.refuse_request(
        review_request=first,
        by=agent.manager,
        reason="Service en sous-effectif.",
        now=paris(2026, 11, 5),
    )

    again = submit(agent, paris(2026, 11, 6))

    assert again.status == Status.PENDING


def test_the_agent_may_ask_again_after_an_implicit_rejection_even_before_any_job_ran(agent):
    first = submit(agent, paris(2026, 9, 30))

    again = submit(agent, paris(2026, 12, 1))

    first.refresh_from_db()
    assert first.status == Status.IMPLICITLY_REJECTED
    assert first.transitions.last().by is None
    assert again.decision_deadline == datetime.date(2027, 2, 1)


def test_submitting_records_the_transition_and_queues_the_acknowledgement(agent, django_tasks):
    review_request = submit(agent, paris(2026, 11, 2))

    transition = review_request.transitions.get()
    assert (transition.from_status, transition.to_status) == ("", Status.PENDING)
    assert transition.by == agent.user
    recipients = sorted(r for mail in django_tasks.emails() for r in mail["to"])
    assert recipients == sorted([agent.user.email, agent.manager.email])


# The deadline ----------------------------------------------------------------


def test_a_decision_is_possible_at_23_59_on_the_deadline_day(agent):
    review_request = submit(agent, paris(2027, 1, 31))  # deadline 31 March 2027

    services.approve_request(
        review_request=review_request, by=agent.manager, now=paris(2027, 3, 31, 23, 59)
    )

    assert reload(review_request).status == Status.APPROVED


def test_a_decision_the_day_after_the_deadline_is_refused_and_changes_nothing(agent):
    review_request = submit(agent, paris(2027, 1, 31))

    with pytest.raises(RequestError, match="délai de réponse a expiré le 31 mars 2027"):
        services.approve_request(
            review_request=review_request, by=agent.manager, now=paris(2027, 4, 1, 0, 0)
        )

    assert reload(review_request).status == Status.PENDING
    assert review_request.transitions.count() == 1


def test_the_deadline_day_ends_at_midnight_paris_time_across_the_dst_change(agent):
    # Received 29 January: deadline 29 March 2026, the night clocks go forward.
    review_request = submit(agent, paris(2026, 1, 29))
    last_minute_in_utc = paris(2026, 3, 29, 23, 59).astimezone(datetime.UTC)

    services.refuse_request(
        review_request=review_request,
        by=agent.manager,
        reason="Pas maintenant.",
        now=last_minute_in_utc,
    )

    assert reload(review_request).status == Status.REFUSED


def test_an_overdue_request_reads_as_implicitly_rejected_everywhere_without_any_job(agent):
    review_request = submit(agent, paris(2026, 12, 31))  # deadline 28 February 2027

    on_deadline = ReviewRequest.objects.as_of(datetime.date(2027, 2, 28))
    next_day = ReviewRequest.objects.as_of(datetime.date(2027, 3, 1))

    assert on_deadline.get().state == Status.PENDING
    assert next_day.get().state == Status.IMPLICITLY_REJECTED
    assert next_day.filter(state=Status.IMPLICITLY_REJECTED).count() == 1
    assert review_request.state_on(datetime.date(2027, 3, 1)) == Status.IMPLICITLY_REJECTED
    assert reload(review_request, datetime.date(2027, 3, 1)).status == Status.PENDING  # stored


def test_an_overdue_request_is_implicitly_rejected_with_the_badge_of_a_rejection(agent):
    review_request = reload(ReviewRequestFactory(agent=agent, overdue=True))

    assert review_request.is_implicitly_rejected
    assert not review_request.is_awaiting_decision
    assert review_request.state_badge == "error"


def test_every_state_has_a_dsfr_badge():
    assert set(BADGES) == set(Status)
    assert set(BADGES.values()) <= {"success", "error", "warning", "info", "new"}


# Decisions -------------------------------------------------------------------


def test_a_refusal_needs_a_reason(agent):
    review_request = submit(agent, paris(2026, 11, 2))

    with pytest.raises(RequestError, match="motif du refus est obligatoire"):
        services.refuse_request(
            review_request=review_request, by=agent.manager, reason="  ", now=paris(2026, 11, 3)
        )

    assert reload(review_request).status == Status.PENDING


def test_the_database_refuses_a_refusal_without_reason(agent):
    with pytest.raises(IntegrityError):
        ReviewRequestFactory(agent=agent, status=Status.REFUSED, refusal_reason="")


def test_a_decided_request_cannot_be_decided_again(agent):
    review_request = submit(agent, paris(2026, 11, 2))
    services.approve_request(
        review_request=review_request, by=agent.manager, now=paris(2026, 11, 3)
    )

    with pytest.raises(RequestError, match="désormais « Acceptée »"):
        services.refuse_request(
            review_request=review_request,
            by=agent.manager,
            reason="Finalement non.",
            now=paris(2026, 11, 4),
        )


def test_approving_an_l5212_13_agent_informs_the_disability_officer_of_the_fact_only(
    django_tasks,
):
    agent = AgentFactory(l5212_13=True, manager=UserFactory())
    officer = RoleFactory(role=Role.DISABILITY_OFFICER, organisation=agent.organisation).user
    review_request = submit(agent, paris(2026, 11, 2), needs="Mon dos ne supporte plus le poste.")
    django_tasks.clear()

    services.approve_request(
        review_request=review_request, by=agent.manager, now=paris(2026, 11, 3)
    )

    [mail] = [m for m in django_tasks.emails() if officer.email in m["to"]]
    assert str(agent) in mail["text"]
    assert "dos" not in mail["text"] and "dos" not in mail["html"]


def test_approving_another_agent_does_not_inform_the_disability_officer(agent, django_tasks):
    officer = RoleFactory(role=Role.DISABILITY_OFFICER, organisation=agent.organisation).user
    review_request = submit(agent, paris(2026, 11, 2))

    services.approve_request(
        review_request=review_request, by=agent.manager, now=paris(2026, 11, 3)
    )

    assert all(officer.email not in m["to"] for m in django_tasks.emails())


# Postponement ----------------------------------------------------------------


@pytest.fixture
def hr(agent):
    return RoleFactory(role=Role.HR, organisation=agent.organisation).user


def postpone(review_request, by, when):
    services.postpone_request(
        review_request=review_request,
        by=by,
        reason="Clôture budgétaire : le service ne peut se passer de l’agent.",
        start=datetime.date(2027, 1, 4),
        end=datetime.date(2027, 3, 31),
        now=when,
    )


def test_a_manager_postponement_waits_for_the_hr_service(agent, hr):
    review_request = submit(agent, paris(2026, 11, 2))

    postpone(review_request, agent.manager, paris(2026, 11, 3))

    assert reload(review_request).status == Status.POSTPONEMENT_REQUESTED


def test_the_hr_agreement_postpones_the_request(agent, hr):
    review_request = submit(agent, paris(2026, 11, 2))
    postpone(review_request, agent.manager, paris(2026, 11, 3))

    services.answer_postponement(
        review_request=review_request, by=hr, agree=True, now=paris(2026, 11, 4)
    )

    assert reload(review_request).status == Status.POSTPONED


def test_a_declined_postponement_goes_back_to_the_manager_and_the_deadline_still_runs(agent, hr):
    review_request = submit(agent, paris(2026, 11, 2))
    postpone(review_request, agent.manager, paris(2026, 11, 3))

    services.answer_postponement(
        review_request=review_request,
        by=hr,
        agree=False,
        reason="Pas justifié.",
        now=paris(2026, 11, 4),
    )

    reloaded = reload(review_request)
    assert reloaded.status == Status.PENDING
    assert reloaded.decision_deadline == datetime.date(2027, 1, 2)
    assert reloaded.postponement_start is None


def test_declining_a_postponement_needs_a_reason(agent, hr):
    review_request = submit(agent, paris(2026, 11, 2))
    postpone(review_request, agent.manager, paris(2026, 11, 3))

    with pytest.raises(RequestError):
        services.answer_postponement(
            review_request=review_request, by=hr, agree=False, reason="", now=paris(2026, 11, 4)
        )

    assert reload(review_request).status == Status.POSTPONEMENT_REQUESTED


def test_a_postponement_awaiting_hr_is_implicitly_rejected_at_the_deadline(agent, hr):
    review_request = submit(agent, paris(2026, 11, 2))
    postpone(review_request, agent.manager, paris(2026, 11, 3))

    with pytest.raises(RequestError, match="délai de réponse a expiré"):
        services.answer_postponement(
            review_request=review_request, by=hr, agree=True, now=paris(2027, 1, 3)
        )

    assert reload(review_request, datetime.date(2027, 1, 3)).state == Status.IMPLICITLY_REJECTED


def test_hr_deciding_as_hierarchical_authority_postpones_directly(agent, hr):
    review_request = submit(agent, paris(2026, 11, 2))

    postpone(review_request, hr, paris(2026, 11, 3))

    assert reload(review_request).status == Status.POSTPONED


def test_a_postponement_needs_a_reason_and_a_future_period(agent):
    review_request = submit(agent, paris(2026, 11, 2))

    with pytest.raises(RequestError, match="continuité du service"):
        services.postpone_request(
            review_request=review_request,
            by=agent.manager,
            reason="",
            start=datetime.date(2027, 1, 4),
            end=datetime.date(2027, 2, 4),
            now=paris(2026, 11, 3),
        )
    with pytest.raises(RequestError, match="période proposée"):
        services.postpone_request(
            review_request=review_request,
            by=agent.manager,
            reason="Continuité du service : inventaire annuel.",
            start=datetime.date(2026, 11, 3),
            end=datetime.date(2027, 2, 4),
            now=paris(2026, 11, 3),
        )
    assert reload(review_request).status == Status.PENDING


def test_a_postponed_request_can_be_approved_later(agent, hr):
    review_request = submit(agent, paris(2026, 11, 2))
    postpone(review_request, hr, paris(2026, 11, 3))

    services.approve_request(review_request=review_request, by=agent.manager, now=paris(2027, 3, 1))

    assert reload(review_request).status == Status.APPROVED


# Employer proposals and withdrawal -------------------------------------------


def test_a_proposal_does_nothing_until_the_agent_accepts_it(agent):
    proposal = services.propose_review(
        agent=agent, by=agent.manager, message="Pensez-y.", now=paris(2026, 11, 2)
    )

    assert proposal.status == Status.PROPOSED
    assert proposal.decision_deadline is None

    services.accept_proposal(review_request=proposal, now=paris(2026, 11, 20), **ANSWERS)

    accepted = reload(proposal)
    assert accepted.status == Status.PENDING
    assert accepted.received_on == datetime.date(2026, 11, 20)  # the acceptance starts it
    assert accepted.decision_deadline == datetime.date(2027, 1, 20)


def test_an_agent_may_decline_a_proposal(agent, django_tasks):
    proposal = services.propose_review(
        agent=agent, by=agent.manager, message="Pensez-y.", now=paris(2026, 11, 2)
    )
    django_tasks.clear()

    services.decline_proposal(
        review_request=proposal, reason="Pas pour l’instant.", now=paris(2026, 11, 3)
    )

    assert reload(proposal).status == Status.DECLINED
    assert [m["to"] for m in django_tasks.emails()] == [[agent.manager.email]]


def test_a_proposal_cannot_be_made_while_a_request_runs(agent):
    submit(agent, paris(2026, 11, 2))

    with pytest.raises(RequestError, match="déjà une demande"):
        services.propose_review(agent=agent, by=agent.manager, message="…", now=paris(2026, 11, 3))


def test_the_agent_may_withdraw_a_pending_request(agent):
    review_request = submit(agent, paris(2026, 11, 2))

    services.withdraw_request(review_request=review_request, now=paris(2026, 11, 3))

    assert reload(review_request).status == Status.WITHDRAWN


def test_an_implicitly_rejected_request_cannot_be_withdrawn(agent):
    review_request = submit(agent, paris(2026, 11, 2))

    with pytest.raises(RequestError, match="délai de réponse a expiré"):
        services.withdraw_request(review_request=review_request, now=paris(2027, 1, 3))


# Priority --------------------------------------------------------------------


def test_priority_publics_come_first_among_approved_requests():
    ordinary = ReviewRequestFactory(approved=True, decided_at=paris(2026, 10, 1))
    priority = ReviewRequestFactory(
        approved=True, decided_at=paris(2026, 10, 20), agent=AgentFactory(professional_wear=True)
    )
    other_priority = ReviewRequestFactory(
        approved=True,
        decided_at=paris(2026, 10, 10),
        agent=AgentFactory(category_c_without_diploma=True),
    )

    order = list(ReviewRequest.objects.filter(state=Status.APPROVED).priority_first())

    assert order == [other_priority, priority, ordinary]


def test_asking_again_tells_everyone_about_the_rejection_the_job_had_not_recorded(
    agent, django_tasks
):
    submit(agent, paris(2026, 9, 30))
    django_tasks.clear()

    submit(agent, paris(2026, 12, 1))

    subjects = [m["subject"] for m in django_tasks.emails()]
    assert "Votre demande de bilan de parcours est rejetée implicitement" in subjects


def test_a_decision_while_hr_considers_a_postponement_replaces_it(agent, hr):
    review_request = submit(agent, paris(2026, 11, 2))
    postpone(review_request, agent.manager, paris(2026, 11, 3))

    services.refuse_request(
        review_request=review_request,
        by=agent.manager,
        reason="Finalement non.",
        now=paris(2026, 11, 4),
    )

    refused = reload(review_request)
    assert refused.status == Status.REFUSED
    assert refused.postponement_start is None and refused.postponement_reason == ""
    with pytest.raises(RequestError):
        services.answer_postponement(
            review_request=review_request, by=hr, agree=True, now=paris(2026, 11, 5)
        )


# A postponement is exceptional and ends ----------------------------------------


def postpone_on(review_request, by, when, *, end, reason=None, start=None):
    return services.postpone_request(
        review_request=review_request,
        by=by,
        reason=reason or "Clôture budgétaire : le service ne peut se passer de l’agent.",
        start=start or deadlines.legal_today(when) + datetime.timedelta(days=1),
        end=end,
        now=when,
    )


def test_a_postponement_decided_on_31_august_may_end_on_the_last_day_of_february(
    agent, hr, settings
):
    settings.POSTPONEMENT_MAX_MONTHS = 6
    review_request = submit(agent, paris(2026, 8, 20))

    postponed = postpone_on(review_request, hr, paris(2026, 8, 31), end=datetime.date(2027, 2, 28))

    assert postponed.status == Status.POSTPONED


def test_a_postponement_ending_one_day_past_the_maximum_is_refused(agent, hr, settings):
    settings.POSTPONEMENT_MAX_MONTHS = 6
    review_request = submit(agent, paris(2026, 8, 20))

    with pytest.raises(RequestError, match="au plus tard le 28 février 2027"):
        postpone_on(review_request, hr, paris(2026, 8, 31), end=datetime.date(2027, 3, 1))

    assert reload(review_request).status == Status.PENDING


def test_the_reason_of_a_postponement_needs_20_characters(agent, hr):
    review_request = submit(agent, paris(2026, 11, 2))
    end = datetime.date(2027, 3, 31)

    with pytest.raises(RequestError, match="20 caractères"):
        postpone_on(review_request, hr, paris(2026, 11, 3), end=end, reason="x" * 19)
    assert reload(review_request).status == Status.PENDING

    postpone_on(review_request, hr, paris(2026, 11, 3), end=end, reason="  " + "x" * 20 + "  ")
    assert reload(review_request).status == Status.POSTPONED


def test_hr_cannot_agree_to_a_postponement_longer_than_the_maximum_on_its_day(agent, hr, settings):
    settings.POSTPONEMENT_MAX_MONTHS = 3
    review_request = submit(agent, paris(2026, 11, 2))
    postpone_on(review_request, agent.manager, paris(2026, 11, 3), end=datetime.date(2027, 2, 3))
    settings.POSTPONEMENT_MAX_MONTHS = 2  # the rule tightened while HR considered it

    with pytest.raises(RequestError, match="au plus tard le 4 janvier 2027"):
        services.answer_postponement(
            review_request=review_request, by=hr, agree=True, now=paris(2026, 11, 4)
        )

    assert reload(review_request).status == Status.POSTPONEMENT_REQUESTED


def test_a_request_is_postponed_through_its_end_date_and_approved_the_next_day(agent, hr):
    review_request = submit(agent, paris(2026, 8, 20))
    postpone_on(review_request, hr, paris(2026, 8, 31), end=datetime.date(2027, 2, 28))

    on_the_end_date = reload(review_request, datetime.date(2027, 2, 28))
    the_day_after = reload(review_request, datetime.date(2027, 3, 1))

    assert on_the_end_date.state == Status.POSTPONED
    assert on_the_end_date.state_on(datetime.date(2027, 2, 28)) == Status.POSTPONED
    assert the_day_after.state == Status.APPROVED
    assert the_day_after.state_on(datetime.date(2027, 3, 1)) == Status.APPROVED
    assert the_day_after.status == Status.POSTPONED  # no job ran


def test_a_postponement_ended_joins_the_queue_ranked_on_the_day_it_was_postponed(agent, hr):
    earlier = ReviewRequestFactory(approved=True, decided_at=paris(2026, 8, 30))
    later = ReviewRequestFactory(approved=True, decided_at=paris(2026, 9, 15))
    review_request = submit(agent, paris(2026, 8, 20))
    postpone_on(review_request, hr, paris(2026, 8, 31), end=datetime.date(2027, 2, 28))

    def queue(today):
        return list(waiting_for_a_seat(ReviewRequest.objects.as_of(today), today))

    assert queue(datetime.date(2027, 2, 28)) == [earlier, later]
    assert queue(datetime.date(2027, 3, 1)) == [earlier, review_request, later]


def test_a_postponement_ended_can_no_longer_be_approved_or_refused(agent, hr):
    review_request = submit(agent, paris(2026, 11, 2))
    postpone_on(review_request, hr, paris(2026, 11, 3), end=datetime.date(2027, 3, 31))

    with pytest.raises(RequestError, match="Acceptée"):
        services.approve_request(
            review_request=review_request, by=agent.manager, now=paris(2027, 4, 1)
        )
