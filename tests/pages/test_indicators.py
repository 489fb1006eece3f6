"""The indicators of an employer over a period: counts, delays, shares, small counts withheld."""

import datetime

import pytest

from bpp.pages.indicators import SMALL_COUNT, Figure, compute, share
from bpp.people.models import Role
from bpp.requests import services
from synthesis.models import Status as SynthesisStatus
from synthesis.models import Synthesis
from tests.clock import paris
from tests.people.factories import AgentFactory, OrganisationFactory, RoleFactory
from tests.requests.factories import RestructuringFactory, ReviewRequestFactory
from tests.synthesis.factories import SynthesisFactory

pytestmark = pytest.mark.django_db

JAN_1, DEC_31 = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)


def received(organisation, on: datetime.date, **agent):
    return ReviewRequestFactory(
        agent=AgentFactory(organisation=organisation, service__organisation=organisation, **agent),
        received_on=on,
    )


def test_small_counts_are_withheld_and_shares_of_them_too():
    assert str(Figure(0)) == "0"
    assert str(Figure(SMALL_COUNT - 1)) == "moins de 5"
    assert str(Figure(1234)) == "1\u202f234"
    assert share(3, 100).value is None  # 3 people: withheld
    assert share(10, 4).value is None
    assert share(10, 40).value == 25.0


def test_requests_are_counted_by_decision_and_implicit_rejection():
    organisation = OrganisationFactory()
    decider = RoleFactory(role=Role.HR, organisation=organisation).user
    day = datetime.date(2026, 3, 2)
    approved = [received(organisation, day) for _ in range(6)]
    for request in approved:
        request.approve(by=decider, now=paris(2026, 3, 12, 10))
    refused = [received(organisation, day) for _ in range(5)]
    for request in refused:
        request.refuse(by=decider, reason="Service en sous-effectif", now=paris(2026, 3, 22, 10))
    overdue = [received(organisation, datetime.date(2026, 1, 5)) for _ in range(5)]
    received(organisation, datetime.date(2025, 12, 31))  # before the period
    received(OrganisationFactory(), day)  # another employer

    found = compute(organisation, JAN_1, DEC_31, today=datetime.date(2026, 11, 23))

    assert found.requests["received"].value == 16
    assert found.requests["approved"].value == 6
    assert found.requests["refused"].value == 5
    assert found.requests["implicitly_rejected"].value == len(overdue)
    # 6 decisions after 10 days, 5 after 20: median 10, 9 out of 10 within 20 days.
    assert found.decision_delay[0].value == 10
    assert found.decision_delay[1].value == 20
    labels = dict(found.rows())
    assert labels["Demandes reçues"] == "16"


def test_the_implicit_rejection_day_is_the_day_after_the_deadline():
    organisation = OrganisationFactory()
    for _ in range(5):
        received(organisation, datetime.date(2026, 3, 31))  # deadline 31 May

    on_deadline = compute(organisation, JAN_1, DEC_31, today=datetime.date(2026, 5, 31))
    day_after = compute(organisation, JAN_1, DEC_31, today=datetime.date(2026, 6, 1))

    assert on_deadline.requests["implicitly_rejected"].value == 0
    assert day_after.requests["implicitly_rejected"].value == 5


def test_the_priority_share_is_withheld_below_five_people():
    organisation = OrganisationFactory()
    for _ in range(4):
        received(organisation, datetime.date(2026, 2, 2), covered_by_l5212_13=True)
    for _ in range(16):
        received(organisation, datetime.date(2026, 2, 2), category="A")

    found = compute(organisation, JAN_1, DEC_31)

    assert found.priority_share_requests.value is None
    assert str(found.requests["received"]) == "20"


def test_delays_of_fewer_than_five_people_are_withheld():
    organisation = OrganisationFactory()
    decider = RoleFactory(role=Role.HR, organisation=organisation).user
    for _ in range(4):
        received(organisation, datetime.date(2026, 3, 2)).approve(by=decider, now=paris(2026, 3, 5))

    found = compute(organisation, JAN_1, DEC_31)

    assert found.decision_delay[0].value is None
    assert str(found.decision_delay[0]) == "—"


def test_postponements_are_counted_with_their_median_length_and_their_end_as_approval():
    organisation = OrganisationFactory()
    hr = RoleFactory(role=Role.HR, organisation=organisation).user
    day = datetime.date(2026, 3, 2)
    for months in (1, 2, 2, 3, 4):
        request = received(organisation, day)
        request.postpone(
            by=hr,
            reason="Continuité du service : clôture des comptes.",
            start=datetime.date(2026, 3, 11),
            end=datetime.date(2026, 3 + months, 10),
            now=paris(2026, 3, 10, 10),
        )

    in_june = compute(organisation, JAN_1, DEC_31, today=datetime.date(2026, 6, 1))
    the_year_after = compute(organisation, JAN_1, DEC_31, today=datetime.date(2027, 1, 1))

    assert in_june.requests["postponed"].value == 5
    # From 10 March to 10 April, May, May, June, July: the median ends on 10 May.
    assert in_june.postponement_length.value == 61
    assert in_june.requests["approved"].value == 3  # ended 10 April and 10 May (twice)
    assert the_year_after.requests["approved"].value == 5  # read as approved, no job ran
    assert dict(the_year_after.rows())["Durée médiane d’un report (jours)"] == "61,0"


def test_the_length_of_fewer_than_five_postponements_is_withheld():
    organisation = OrganisationFactory()
    hr = RoleFactory(role=Role.HR, organisation=organisation).user
    for _ in range(4):
        received(organisation, datetime.date(2026, 3, 2)).postpone(
            by=hr,
            reason="Continuité du service : clôture des comptes.",
            start=datetime.date(2026, 3, 11),
            end=datetime.date(2026, 5, 10),
            now=paris(2026, 3, 10, 10),
        )

    found = compute(organisation, JAN_1, DEC_31, today=datetime.date(2026, 4, 1))

    assert found.postponement_length.value is None


def test_requests_de_droit_are_counted_and_as_priority_publics():
    organisation = OrganisationFactory()
    agents = [
        AgentFactory(organisation=organisation, service__organisation=organisation)
        for _ in range(5)
    ]
    RestructuringFactory(organisation=organisation, services=[a.service for a in agents])
    for agent in agents:
        services.submit_request(agent=agent, needs="Préparer la suite.", now=paris(2026, 9, 1))
    for _ in range(5):
        received(organisation, datetime.date(2026, 9, 1))

    found = compute(organisation, JAN_1, DEC_31, today=datetime.date(2026, 9, 2))

    assert found.requests["de_droit"].value == 5
    assert found.requests["approved"].value == 5
    assert found.priority_share_requests.value == 50.0
    assert dict(found.rows())["Demandes de droit (restructuration)"] == "5"


def asked(organisation, on: datetime.date, origin: str):
    return ReviewRequestFactory(
        agent=AgentFactory(organisation=organisation, service__organisation=organisation),
        received_on=on,
        origin=origin,
    )


def test_requests_are_counted_by_origin_a_count_under_five_withheld_with_the_smallest_other():
    organisation = OrganisationFactory()
    day = datetime.date(2026, 3, 2)
    for origin, n in (("entretien_annuel", 5), ("initiative", 7), ("entretien_mobilite", 4)):
        for _ in range(n):
            asked(organisation, day, origin)
    asked(organisation, datetime.date(2025, 12, 31), "entretien_annuel")  # the year before

    origins = dict(compute(organisation, JAN_1, DEC_31).origins)

    assert str(origins["Entretien de mobilité ou de carrière"]) == "moins de 5"
    # The total less the others would tell the small count: the smallest other
    # published count is withheld with it (the 5, not the 7).
    assert origins["Entretien professionnel annuel"].value is None
    assert origins["Initiative personnelle"] == Figure(7)
    assert origins["Proposition de l’employeur"] == Figure(0)
    assert origins["Restructuration"] == Figure(0)


def test_five_of_one_origin_are_shown():
    organisation = OrganisationFactory()
    for _ in range(5):
        asked(organisation, datetime.date(2026, 12, 31), "entretien_mobilite")

    origins = dict(compute(organisation, JAN_1, DEC_31).origins)

    assert origins["Entretien de mobilité ou de carrière"] == Figure(5)


def signed(organisation, at: datetime.datetime, orientation: str):
    synthesis = SynthesisFactory(enrolment__cohort__organisation=organisation)
    Synthesis.objects.filter(pk=synthesis.pk).update(
        status=SynthesisStatus.SIGNED, signed_at=at, orientation=orientation
    )


def test_signed_syntheses_are_counted_by_orientation_on_their_paris_day():
    organisation = OrganisationFactory()
    for _ in range(6):
        signed(organisation, paris(2026, 12, 31, 23, 30), "aucune")  # 22:30 UTC
    for _ in range(5):
        signed(organisation, paris(2026, 1, 1, 0, 30), "mobilite")  # 31 December in UTC
    for _ in range(4):
        signed(organisation, paris(2026, 6, 1), "pidc")
    signed(organisation, paris(2027, 1, 1, 0, 30), "cep")  # 2027 in Paris
    SynthesisFactory(enrolment__cohort__organisation=organisation)  # not signed

    orientations = dict(compute(organisation, JAN_1, DEC_31).orientations)

    assert orientations["Aucune suite particulière"] == Figure(6)
    assert str(orientations["Plan individuel de développement des compétences"]) == "moins de 5"
    assert orientations["Mobilité"].value is None  # withheld with the 4
    assert orientations["Conseil en évolution professionnelle"] == Figure(0)
    assert orientations["Non renseignée"] == Figure(0)
