"""Who read my synthesis: the leaders' routine reads summed up by leader and day (Paris),
every other read one by one, with one GROUP BY and a bounded number of queries."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bpp.people.models import Role
from synthesis.models import AccessRecord, Basis, grant
from tests.clock import paris
from tests.people.factories import RoleFactory
from tests.synthesis.factories import SynthesisFactory, leader_of

pytestmark = pytest.mark.django_db


def read(synthesis, reader, basis, at, fmt=AccessRecord.Format.PAGE, consent=None):
    return AccessRecord.objects.create(
        synthesis=synthesis, reader=reader, basis=basis, read_at=at, format=fmt, consent=consent
    )


@pytest.fixture
def synthesis():
    return SynthesisFactory(written=True)


def page_of(synthesis, query="") -> str:
    client = Client()
    client.force_login(synthesis.enrolment.agent.user)
    response = client.get(reverse("synthesis:sharing", args=[synthesis.pk]) + query)
    assert response.status_code == 200
    return response.content.decode()


def text(html: str) -> str:
    return " ".join(html.replace("<strong>", "").replace("</strong>", "").split())


def test_a_leader_s_reads_of_a_day_make_one_line(synthesis):
    leader = leader_of(synthesis)
    for hour in (9, 11, 14, 17):
        read(synthesis, leader, Basis.LEADER, paris(2027, 3, 3, hour, 12))

    page = text(page_of(synthesis))

    name = leader.get_full_name()
    assert (
        f"{name} (animateur de la promotion) a consulté votre synthèse 4 fois le 3 mars 2027, "
        "de 09:12 à 17:12." in page
    )
    assert page.count(f"{name} (animateur") == 1


def test_every_other_read_stays_on_its_own_line(synthesis):
    agent = synthesis.enrolment.agent
    manager = RoleFactory(role=Role.MANAGER, organisation=agent.organisation).user
    agent.manager = manager
    agent.save()
    grant(synthesis, "manager", now=paris(2027, 3, 1, 8))
    consent = synthesis.consents.get()
    leader = leader_of(synthesis)
    read(synthesis, manager, Basis.MANAGER, paris(2027, 3, 3, 10), consent=consent)
    read(synthesis, manager, Basis.MANAGER, paris(2027, 3, 3, 11), consent=consent)
    read(synthesis, leader, Basis.LEADER, paris(2027, 3, 3, 12), AccessRecord.Format.PDF)
    read(synthesis, leader, Basis.LEADER, paris(2027, 3, 3, 13))

    page = text(page_of(synthesis))

    name = manager.get_full_name()
    assert page.count(f"{name} (supérieur hiérarchique, avec votre accord") == 2
    assert "accord du 1er mars 2027) a lu votre synthèse le 3 mars 2027 à 10:00." in page
    assert "accord du 1er mars 2027) a lu votre synthèse le 3 mars 2027 à 11:00." in page
    assert "a téléchargé le PDF de votre synthèse le 3 mars 2027 à 12:00." in page
    assert "a consulté votre synthèse une fois le 3 mars 2027 à 13:00." in page
    assert "3 lectures par d’autres personnes ou en PDF." in page


def test_days_are_those_of_paris(synthesis):
    leader = leader_of(synthesis)
    # 23:30 and 00:30 in Paris: two days, though the same day in UTC (22:30, 23:30).
    read(synthesis, leader, Basis.LEADER, paris(2027, 3, 3, 23, 30))
    read(synthesis, leader, Basis.LEADER, paris(2027, 3, 4, 0, 30))

    page = text(page_of(synthesis))

    assert "une fois le 3 mars 2027 à 23:30." in page
    assert "une fois le 4 mars 2027 à 00:30." in page


def test_two_leaders_each_have_their_line(synthesis):
    first = leader_of(synthesis)
    second = RoleFactory(role=Role.CMC, organisation=synthesis.enrolment.cohort.organisation).user
    synthesis.enrolment.cohort.leaders.add(second)
    for reader in (first, second, first):
        read(synthesis, reader, Basis.LEADER, paris(2027, 3, 3, 10))

    page = text(page_of(synthesis))

    assert (
        f"{first.get_full_name()} (animateur de la promotion) a consulté votre synthèse 2 fois"
        in page
    )
    assert (
        f"{second.get_full_name()} (animateur de la promotion) a consulté votre synthèse une fois"
        in page
    )


def test_the_summary_is_paginated_and_bounded(synthesis):
    leader = leader_of(synthesis)
    agent = synthesis.enrolment.agent
    hr = RoleFactory(role=Role.HR, organisation=agent.organisation).user
    start = paris(2027, 1, 4, 9)

    def count_queries(query="") -> int:
        client = Client()
        client.force_login(agent.user)
        with CaptureQueriesContext(connection) as queries:
            assert (
                client.get(reverse("synthesis:sharing", args=[synthesis.pk]) + query).status_code
                == 200
            )
        return len(queries)

    read(synthesis, leader, Basis.LEADER, start)
    read(synthesis, hr, Basis.HR, start)
    few = count_queries()
    AccessRecord.objects.bulk_create(
        [
            AccessRecord(
                synthesis=synthesis,
                reader=leader,
                basis=Basis.LEADER,
                format=AccessRecord.Format.PAGE,
                read_at=start + datetime.timedelta(days=day, minutes=minute),
            )
            for day in range(40)
            for minute in range(5)
        ]
        + [
            AccessRecord(
                synthesis=synthesis,
                reader=hr,
                basis=Basis.HR,
                format=AccessRecord.Format.PAGE,
                read_at=start + datetime.timedelta(days=day, hours=2),
            )
            for day in range(20)
        ]
    )

    assert count_queries() == few
    assert count_queries("?page=3") == few
    # 40 days of a leader's reads, 21 reads by HR: 61 lines, 25 a page.
    pages = [text(page_of(synthesis, f"?page={number}")) for number in (1, 2, 3)]
    lines = [page.count("a consulté votre synthèse") + page.count("a lu votre") for page in pages]
    assert lines == [25, 25, 11]
    assert "a consulté votre synthèse 5 fois le 12 février 2027" in pages[0]
    assert "a consulté votre synthèse 6 fois le 4 janvier 2027" in pages[2]
