"""The professionals' lists: what awaits a signature, the cohort's ZIP, bounded queries."""

import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bpp.people.models import Role
from synthesis.models import AccessRecord, Basis, Capacity, Comment, grant
from tests.cohorts.factories import CohortFactory, EnrolmentFactory
from tests.people.factories import RoleFactory
from tests.synthesis.factories import SynthesisFactory, in_phase_4

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort():
    cohort = CohortFactory()
    cohort.leaders.add(RoleFactory(role=Role.CMC, organisation=cohort.organisation).user)
    return cohort


def synthesis_in(cohort, **traits):
    return SynthesisFactory(enrolment=EnrolmentFactory(cohort=cohort), **traits)


def test_the_cmc_sees_what_awaits_their_signature_first(client, cohort):
    draft = synthesis_in(cohort, written=True)
    waiting = synthesis_in(cohort, finalised=True)
    waiting.sign(by=waiting.enrolment.agent.user, capacity=Capacity.AGENT)
    client.force_login(cohort.leaders.get())

    page = client.get(reverse("synthesis:cohort", args=[cohort.pk]))
    index = client.get(reverse("synthesis:index"))

    rows = list(index.context["led"])
    assert rows[0] == waiting and rows[0].awaiting_me
    assert not next(r for r in rows if r == draft).awaiting_me
    assert "Attend votre signature" in page.text


def test_another_cmc_sees_nothing_of_the_cohort(client, cohort):
    synthesis_in(cohort, written=True)
    client.force_login(RoleFactory(role=Role.CMC, organisation=cohort.organisation).user)

    assert client.get(reverse("synthesis:cohort", args=[cohort.pk])).status_code == 404
    assert client.get(reverse("synthesis:cohort_zip", args=[cohort.pk])).status_code == 404
    assert not client.get(reverse("synthesis:index")).context["led"].object_list


def test_the_zip_holds_one_pdf_per_signed_synthesis(client, cohort):
    signed = [synthesis_in(cohort, signed=True) for _ in range(2)]
    synthesis_in(cohort, written=True)
    client.force_login(cohort.leaders.get())

    response = client.get(reverse("synthesis:cohort_zip", args=[cohort.pk]))

    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert len(names) == 2
    assert all(archive.read(name).startswith(b"%PDF") for name in names)
    assert AccessRecord.objects.filter(synthesis__in=signed, basis=Basis.LEADER).count() == 2


def test_the_zip_button_shows_only_when_a_synthesis_is_signed(client, cohort):
    synthesis_in(cohort, finalised=True)
    client.force_login(cohort.leaders.get())
    url = reverse("synthesis:cohort", args=[cohort.pk])
    zip_url = reverse("synthesis:cohort_zip", args=[cohort.pk])

    before = client.get(url).text
    synthesis_in(cohort, signed=True)
    after = client.get(url).text

    assert zip_url not in before and "Aucune synthèse n’est encore signée" in before
    assert zip_url in after and "Télécharger la synthèse signée (ZIP de PDF)" in after


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_lists_run_the_same_queries_whatever_their_size(client, cohort):
    leader = cohort.leaders.get()
    client.force_login(leader)
    synthesis_in(cohort, finalised=True)
    urls = [reverse("synthesis:index"), reverse("synthesis:cohort", args=[cohort.pk])]
    few = [count_queries(client, url) for url in urls]

    for _ in range(8):
        synthesis_in(cohort, signed=True)

    assert [count_queries(client, url) for url in urls] == few
    assert max(few) <= 12


def test_the_document_pages_are_bounded_whatever_the_history(client, cohort):
    in_phase_4(cohort)
    synthesis = synthesis_in(cohort, written=True)
    agent, leader = synthesis.enrolment.agent.user, cohort.leaders.get()
    client.force_login(agent)
    urls = [
        reverse("synthesis:detail", args=[synthesis.pk]),
        reverse("synthesis:versions", args=[synthesis.pk]),
        reverse("synthesis:sharing", args=[synthesis.pk]),
        reverse("synthesis:edit", args=[synthesis.pk]),
    ]
    grant(synthesis, "rh")
    AccessRecord.objects.create(
        synthesis=synthesis, reader=leader, basis=Basis.LEADER, format="page"
    )
    few = [count_queries(client, url) for url in urls]

    for number in range(2, 12):
        synthesis.save_version(
            by=leader,
            based_on=number - 1,
            content={"sections": {"needs": f"v{number}"}},
            personal_situation="",
        )
        Comment.objects.create(synthesis=synthesis, section="needs", author=leader, text="Oui")
    for _ in range(5):  # a longer history
        synthesis.finalise()
        synthesis.reopen()
    agent = synthesis.enrolment.agent
    agent.manager = leader  # any person: the consent names them
    agent.save()
    grant(synthesis, "manager")
    for _ in range(10):
        AccessRecord.objects.create(
            synthesis=synthesis,
            reader=leader,
            basis=Basis.LEADER,
            format="page",
            read_at=timezone.now(),
        )

    assert [count_queries(client, url) for url in urls] == few
    assert max(few) <= 16  # + the unread notifications badge
