"""
Priority and the nearest date bind placement (cohorts.queue): a departure needs a reason.
"""

import datetime

import pytest
import time_machine
from django.utils import timezone

from bpp.requests.models import Mode, ReviewRequest
from cohorts import queue
from cohorts.models import Cohort, CohortError, Enrolment, waiting_for_a_seat
from cohorts.services import place_agent, place_agents, withdraw_agent
from tests.clock import paris
from tests.cohorts.factories import CohortFactory
from tests.people.factories import AgentFactory, OrganisationFactory, UserFactory
from tests.requests.factories import RestructuringFactory, ReviewRequestFactory

pytestmark = pytest.mark.django_db

REASON = "Son service ferme en janvier : il doit commencer dans celle-ci."


def waiting(organisation, *, approved_on=datetime.date(2026, 10, 1), mode=Mode.ANY, **agent):
    """An approved request of `organisation` waiting for a seat, approved at noon on `approved_on`."""
    profile = AgentFactory(service__organisation=organisation, organisation=organisation, **agent)
    noon = datetime.datetime.combine(approved_on, datetime.time(12), tzinfo=datetime.UTC)
    return ReviewRequestFactory(agent=profile, approved=True, decided_at=noon, preferred_mode=mode)


def annotated(review_request):
    """The request as the queue reads it (with `is_priority`)."""
    return waiting_for_a_seat(type(review_request).objects.filter(pk=review_request.pk)).get()


@pytest.fixture
def organisation():
    return OrganisationFactory()


def test_a_non_priority_agent_cannot_take_a_seat_while_a_suited_priority_agent_waits(organisation):
    cohort = CohortFactory(organisation=organisation)
    ordinary = waiting(organisation, approved_on=datetime.date(2026, 9, 1))
    waiting(organisation, approved_on=datetime.date(2026, 11, 1), l5212_13=True)

    with pytest.raises(CohortError, match="déroge à l’ordre de la file"):
        place_agent(review_request=ordinary, cohort=cohort, by=UserFactory())
    assert not Enrolment.objects.exists()
    assert Cohort.objects.get(pk=cohort.pk).seats_taken == 0


def test_a_recorded_reason_lets_the_cmc_depart_and_the_history_keeps_it(organisation):
    cohort = CohortFactory(organisation=organisation)
    ordinary = waiting(organisation)
    waiting(organisation, category_c_without_diploma=True)

    enrolment = place_agent(review_request=ordinary, cohort=cohort, by=UserFactory(), reason=REASON)

    assert enrolment.placement_reason == REASON
    assert list(queue.placements_history([organisation]).exclude(placement_reason="")) == [
        enrolment
    ]


@pytest.mark.parametrize(("length", "accepted"), [(19, False), (20, True)])
def test_the_reason_counts_twenty_characters_at_least(organisation, length, accepted):
    cohort = CohortFactory(organisation=organisation)
    ordinary = waiting(organisation)
    waiting(organisation, professional_wear=True)
    reason = "x" * length

    if accepted:
        place_agent(review_request=ordinary, cohort=cohort, by=UserFactory(), reason=reason)
        assert Enrolment.objects.get().placement_reason == reason
    else:
        with pytest.raises(CohortError, match="20 caractères"):
            place_agent(review_request=ordinary, cohort=cohort, by=UserFactory(), reason=reason)
        assert not Enrolment.objects.exists()


def test_a_priority_agent_the_cohort_does_not_suit_does_not_block_it(organisation):
    on_site = CohortFactory(organisation=organisation, mode=Mode.ON_SITE, departement="92")
    ordinary = waiting(organisation, work_departement="92")
    waiting(organisation, l5212_13=True, mode=Mode.REMOTE)  # wants it remote only
    waiting(organisation, l5212_13=True, work_departement="13")  # works in Marseille

    enrolment = place_agent(review_request=ordinary, cohort=on_site, by=UserFactory())

    assert enrolment.placement_reason == ""


def test_placing_the_priority_agent_with_others_at_once_needs_no_reason(organisation):
    cohort = CohortFactory(organisation=organisation)
    ordinary = waiting(organisation, approved_on=datetime.date(2026, 9, 1))
    priority = waiting(organisation, l5212_13=True)

    enrolments = place_agents(cohort=cohort, review_requests=[ordinary, priority], by=UserFactory())

    # Priority publics are seated first, and nothing was skipped.
    assert [e.request for e in enrolments] == [priority, ordinary]
    assert all(e.placement_reason == "" for e in enrolments)


def test_a_restructuring_request_is_a_priority_one(organisation):
    cohort = CohortFactory(organisation=organisation)
    ordinary = waiting(organisation)
    concerned = waiting(organisation, approved_on=datetime.date(2026, 11, 20))
    concerned.restructuring = RestructuringFactory(organisation=organisation)
    concerned.save(update_fields=["restructuring"])
    ReviewRequest.objects.filter(pk=concerned.pk).refresh_priority()

    with pytest.raises(CohortError):
        place_agent(review_request=ordinary, cohort=cohort, by=UserFactory())
    assert annotated(concerned).is_priority


def test_an_agent_goes_to_the_nearest_suitable_cohort_unless_a_reason_is_given(organisation):
    sooner = CohortFactory(organisation=organisation, phases=datetime.date(2027, 1, 4))
    later = CohortFactory(organisation=organisation, phases=datetime.date(2027, 3, 1))
    review_request = waiting(organisation)

    [departure] = queue.departures(
        Cohort.objects.with_start().get(pk=later.pk), [annotated(review_request)]
    )
    assert departure.sentence == (
        f"Pour {review_request.agent}, la promotion « {sooner} » convient et commence plus tôt,"
        " le 4 janvier 2027."
    )
    with pytest.raises(CohortError):
        place_agent(review_request=review_request, cohort=later, by=UserFactory())
    place_agent(review_request=review_request, cohort=later, by=UserFactory(), reason=REASON)
    assert Enrolment.objects.get().cohort == later


def test_a_cohort_starting_the_same_day_is_not_nearer(organisation):
    CohortFactory(organisation=organisation, phases=datetime.date(2027, 1, 4))
    same_day = CohortFactory(organisation=organisation, phases=datetime.date(2027, 1, 4))
    review_request = waiting(organisation)

    enrolment = place_agent(review_request=review_request, cohort=same_day, by=UserFactory())

    assert enrolment.placement_reason == ""


def test_a_nearer_cohort_that_does_not_suit_the_agent_is_no_departure(organisation):
    CohortFactory(organisation=organisation, mode=Mode.REMOTE, phases=datetime.date(2027, 1, 4))
    CohortFactory(organisation=organisation, departement="69", phases=datetime.date(2027, 1, 11))
    full = CohortFactory(organisation=organisation, phases=datetime.date(2027, 1, 4))
    Cohort.objects.filter(pk=full.pk).update(seats_taken=12)
    later = CohortFactory(organisation=organisation, phases=datetime.date(2027, 3, 1))
    review_request = waiting(organisation, mode=Mode.ON_SITE, work_departement="92")

    enrolment = place_agent(review_request=review_request, cohort=later, by=UserFactory())

    assert enrolment.placement_reason == ""


def test_a_cohort_the_agent_did_not_wish_for_is_a_departure(organisation):
    remote = CohortFactory(organisation=organisation, mode=Mode.REMOTE)
    review_request = waiting(organisation, mode=Mode.ON_SITE)

    [departure] = queue.departures(
        Cohort.objects.with_start().get(pk=remote.pk), [annotated(review_request)]
    )
    assert "ne répond pas au souhait" in departure.sentence
    with pytest.raises(CohortError):
        place_agent(review_request=review_request, cohort=remote, by=UserFactory())


def test_ranks_count_priority_first_then_the_approval_day_per_employer(organisation):
    first = waiting(organisation, approved_on=datetime.date(2026, 9, 1))
    second = waiting(organisation, approved_on=datetime.date(2026, 10, 1))
    priority = waiting(organisation, approved_on=datetime.date(2026, 11, 1), l5212_13=True)
    elsewhere = waiting(OrganisationFactory(), approved_on=datetime.date(2026, 1, 1))

    requests = list(queue.queue([organisation, elsewhere.organisation]))

    assert queue.ranks(requests) == {priority.pk: 1, first.pk: 2, second.pk: 3, elsewhere.pk: 1}


def test_a_filtered_page_keeps_each_agents_rank_in_the_whole_queue(organisation):
    first = waiting(organisation, approved_on=datetime.date(2026, 9, 1), mode=Mode.REMOTE)
    waiting(organisation, approved_on=datetime.date(2026, 9, 15))
    third = waiting(organisation, approved_on=datetime.date(2026, 10, 1), mode=Mode.REMOTE)

    remote = list(queue.queue([organisation], mode=Mode.REMOTE))

    assert queue.ranks(remote) == {first.pk: 1, third.pk: 3}


def test_a_seat_takes_the_agent_out_of_the_queue_and_leaving_it_frees_the_request(organisation):
    cohort = CohortFactory(organisation=organisation)
    placed = waiting(organisation, approved_on=datetime.date(2026, 9, 1))
    next_one = waiting(organisation, approved_on=datetime.date(2026, 10, 1))

    enrolment = place_agent(review_request=placed, cohort=cohort, by=UserFactory())

    assert [r.pk for r in queue.queue([organisation])] == [next_one.pk]
    assert queue.ranks([next_one]) == {next_one.pk: 1}
    withdraw_agent(enrolment=enrolment, reason="Elle a changé de poste.")
    assert not ReviewRequest.objects.get(pk=placed.pk).seated


@pytest.mark.parametrize(("today", "waits"), [(30, False), (1, True)])
def test_a_postponed_request_waits_from_the_day_after_its_end_ranked_from_its_postponement(
    today, waits
):
    """Postponed on 1 June until 30 November 2026: in the queue from 1 December, ahead of a
    request approved in September."""
    review_request = ReviewRequestFactory(
        postponed=True,
        decided_at=paris(2026, 6, 1),
        postponement_start=datetime.date(2026, 6, 2),
        postponement_end=datetime.date(2026, 11, 30),
    )
    organisation = review_request.organisation
    later = waiting(organisation, approved_on=datetime.date(2026, 9, 1))
    instant = paris(2026, 11, 30, 23, 59) if today == 30 else paris(2026, 12, 1, 0, 1)

    with time_machine.travel(instant, tick=False):
        rows = list(queue.queue([organisation]))
        assert [r.pk for r in rows] == ([review_request.pk, later.pk] if waits else [later.pk])
        if waits:
            assert queue.ranks(rows) == {review_request.pk: 1, later.pk: 2}
            assert queue.rank_explanation(rows[0]) == (
                "public non prioritaire ; reportée le 1er juin 2026 jusqu’au 30 novembre 2026,"
                " rang à la date du report"
            )


def test_the_explanation_never_gives_the_ground_of_a_priority_public(organisation):
    row = annotated(waiting(organisation, approved_on=datetime.date(2026, 3, 1), l5212_13=True))

    assert queue.rank_explanation(row) == "public prioritaire ; acceptée le 1er mars 2026"


def test_more_agents_than_free_seats_are_refused_whole(organisation):
    cohort = CohortFactory(organisation=organisation, seats_taken=11)
    requests = [waiting(organisation), waiting(organisation)]

    with pytest.raises(CohortError, match="plus que 1 place"):
        place_agents(cohort=cohort, review_requests=requests, by=UserFactory())
    assert not Enrolment.objects.exists()


def test_the_confirmation_is_checked_again_when_a_priority_agent_arrives_meanwhile(
    client, organisation
):
    """Offered the last seat, a non-priority agent; a priority one is approved before the
    CMC confirms: the confirmation is refused and asks for a reason."""
    from bpp.people.models import Role
    from tests.people.factories import RoleFactory

    cmc = RoleFactory(role=Role.CMC, organisation=organisation).user
    client.force_login(cmc)
    cohort = CohortFactory(organisation=organisation, seats_taken=11)
    ordinary = waiting(organisation)
    url = f"/promotions/{cohort.pk}/inscrire/"
    review = client.post(url, {"demandes": [ordinary.pk], "etape": "verifier"})
    assert review.context["departures"] == []

    waiting(organisation, approved_on=timezone.localdate(), l5212_13=True)
    confirmation = client.post(url, {"demandes": [ordinary.pk], "etape": "confirmer"})

    assert confirmation.status_code == 200
    assert "déroge à l’ordre de la file" in confirmation.text
    assert not Enrolment.objects.exists()


def test_the_matching_reads_past_the_nearest_cohorts_only_for_the_agents_they_do_not_suit(
    organisation, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(queue, "NEAREST_SEATS", 2)
    day = datetime.date(2027, 1, 4)
    first, second = (
        CohortFactory(
            organisation=organisation, mode=Mode.REMOTE, phases=day + datetime.timedelta(weeks=w)
        )
        for w in (0, 1)
    )
    on_site = CohortFactory(
        organisation=organisation,
        mode=Mode.ON_SITE,
        departement="92",
        phases=datetime.date(2027, 3, 1),
    )
    CohortFactory(organisation=organisation, mode=Mode.ON_SITE, phases=datetime.date(2027, 4, 5))
    anywhere = annotated(waiting(organisation, mode=Mode.REMOTE))
    in_92 = annotated(waiting(organisation, mode=Mode.ON_SITE, work_departement="92"))
    assert anywhere.agent and in_92.agent  # loaded, as the pages load them with the request

    with django_assert_num_queries(2):  # the two nearest suit: nothing more to read
        [(_, cohorts)] = queue.with_suitable_cohorts([anywhere], [organisation], limit=2)
    assert cohorts == [first, second]
    with django_assert_num_queries(3):  # the on-site agent's cohort comes later
        pairs = queue.with_suitable_cohorts([anywhere, in_92], [organisation], limit=1)
    assert [cohorts for _, cohorts in pairs] == [[first], [on_site]]
