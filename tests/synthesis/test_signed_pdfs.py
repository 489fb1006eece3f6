"""A signed synthesis is rendered once, at its signature, kept encrypted under its key, and
only read after that: by its page, the cohort's ZIP and the agent's data archive."""

import io
import zipfile

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from bpp import printing
from bpp.people.models import User
from synthesis import pdf
from synthesis.export import syntheses_of
from synthesis.fields import UndecryptableError
from synthesis.models import (
    Audience,
    SignedPdf,
    Synthesis,
    SynthesisError,
    SynthesisKey,
    grant,
)
from synthesis.retention import purge_syntheses, send_deletion_notices
from tests.clock import paris
from tests.cohorts.factories import EnrolmentFactory
from tests.people.factories import UserFactory
from tests.synthesis.factories import SynthesisFactory, leader_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """The templates rendered to PDF since the fixture was set up."""
    calls = []
    original = printing.render_pdf

    def counting(template_name, context, **kwargs):
        calls.append(template_name)
        return original(template_name, context, **kwargs)

    monkeypatch.setattr(printing, "render_pdf", counting)
    return calls


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sign_both(synthesis: Synthesis, capture) -> tuple[Client, Client]:
    """The agent, then the leader, sign through the page; the callbacks run at commit."""
    agent, leader = login(synthesis.enrolment.agent.user), login(leader_of(synthesis))
    with capture(execute=True):
        for client in (agent, leader):
            client.post(reverse("synthesis:sign", args=[synthesis.pk]), {"confirm": "on"})
    synthesis.refresh_from_db()
    assert synthesis.is_signed
    return agent, leader


def download(client: Client, synthesis: Synthesis) -> bytes:
    response = client.get(reverse("synthesis:pdf", args=[synthesis.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


def kept(synthesis: Synthesis, *, with_personal_situation: bool = True) -> SignedPdf:
    return SignedPdf.objects.select_related("synthesis").get(
        synthesis=synthesis, with_personal_situation=with_personal_situation
    )


def text_of(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_it_is_rendered_once_when_the_second_signature_is_given(
    renders, django_capture_on_commit_callbacks
):
    synthesis = SynthesisFactory(finalised=True)

    sign_both(synthesis, django_capture_on_commit_callbacks)

    assert len(renders) == 1
    stored = kept(synthesis)
    assert stored.version == synthesis.current()
    assert stored.content.startswith(b"%PDF")


def test_downloads_render_nothing_and_give_the_bytes_kept(
    renders, django_capture_on_commit_callbacks
):
    synthesis = SynthesisFactory(finalised=True)
    agent, leader = sign_both(synthesis, django_capture_on_commit_callbacks)
    renders.clear()

    downloads = [download(client, synthesis) for client in (agent, leader, agent)]

    assert renders == []
    assert downloads == [kept(synthesis).content] * 3


def test_it_is_kept_encrypted_under_the_synthesis_key():
    synthesis = SynthesisFactory(signed=True)
    content = pdf.signed_pdf(synthesis, with_personal_situation=True)

    [token] = SignedPdf.objects.values_list("content", flat=True)

    assert b"%PDF" not in token.token.encode() and token.token.startswith("gAAAAA")
    assert synthesis.data_key().decrypt(token.token.encode()) == content


def test_a_render_that_fails_keeps_the_signature_and_the_first_download_renders_it(
    renders, monkeypatch, django_capture_on_commit_callbacks
):
    synthesis = SynthesisFactory(finalised=True)

    def failing(*args, **kwargs):
        raise OSError("plus de place sur le disque")

    with monkeypatch.context() as patched:
        patched.setattr(pdf, "synthesis_pdf", failing)
        agent, _leader = sign_both(synthesis, django_capture_on_commit_callbacks)

    assert not SignedPdf.objects.exists()
    first, second = download(agent, synthesis), download(agent, synthesis)
    assert len(renders) == 1
    assert first == second == kept(synthesis).content


def test_a_synthesis_signed_before_pdfs_were_kept_is_rendered_once_by_the_command(renders):
    signed = [SynthesisFactory(signed=True) for _ in range(2)]  # signed without the service
    SynthesisFactory(finalised=True)

    call_command("keep_signed_pdfs", stdout=io.StringIO())
    call_command("keep_signed_pdfs", stdout=io.StringIO())

    assert len(renders) == 2
    assert set(SignedPdf.objects.values_list("synthesis", flat=True)) == {s.pk for s in signed}


def test_nothing_is_kept_of_a_synthesis_reopened_since_it_was_read(renders):
    synthesis = SynthesisFactory(signed=True)
    Synthesis.objects.get(pk=synthesis.pk).reopen()

    with pytest.raises(SynthesisError):
        pdf.signed_pdf(synthesis, with_personal_situation=True)

    assert renders == [] and not SignedPdf.objects.exists()


def test_a_reader_under_consent_gets_a_copy_without_2_5_rendered_once(renders):
    synthesis = SynthesisFactory(signed=True)
    agent = synthesis.enrolment.agent
    agent.manager = manager = UserFactory()
    agent.save()
    grant(synthesis, Audience.MANAGER)
    client = login(manager)

    first, second = download(client, synthesis), download(client, synthesis)

    assert len(renders) == 1
    assert first == second == kept(synthesis, with_personal_situation=False).content
    assert "Situation familiale" not in text_of(first)
    assert not SignedPdf.objects.filter(with_personal_situation=True).exists()


def test_an_amendment_signed_again_gets_its_own_pdf_and_the_first_stays_as_signed(
    renders, django_capture_on_commit_callbacks
):
    synthesis = SynthesisFactory(finalised=True)
    sign_both(synthesis, django_capture_on_commit_callbacks)
    first = kept(synthesis).content
    synthesis.reopen()
    synthesis.save_version(
        by=synthesis.enrolment.agent.user,
        based_on=synthesis.version,
        content={**synthesis.current().content, "schemes_other": "Avenant : tutorat"},
        personal_situation="",
    )
    synthesis.finalise()

    sign_both(synthesis, django_capture_on_commit_callbacks)

    assert len(renders) == 2
    by_version = dict(SignedPdf.objects.values_list("version__number", "pk"))
    assert set(by_version) == {1, 2}
    assert SignedPdf.objects.get(version__number=1).content == first
    assert "Avenant : tutorat" in text_of(
        download(login(synthesis.enrolment.agent.user), synthesis)
    )


# The cohort's ZIP -------------------------------------------------------------------------


def named(synthesis: Synthesis, last_name: str, first_name: str) -> Synthesis:
    User.objects.filter(pk=synthesis.enrolment.agent.user_id).update(
        last_name=last_name, first_name=first_name
    )
    return synthesis


def test_the_cohort_zip_reads_the_pdfs_kept_and_names_each_agent_once(renders):
    first = SynthesisFactory(signed=True)
    cohort = first.enrolment.cohort
    second = SynthesisFactory(signed=True, enrolment=EnrolmentFactory(cohort=cohort))
    for synthesis in (first, second):
        named(synthesis, "Lefèvre", "Zoé")
        pdf.keep_signed_pdf(synthesis=synthesis)
    renders.clear()

    response = login(leader_of(first)).get(reverse("synthesis:cohort_zip", args=[cohort.pk]))

    assert response.status_code == 200 and renders == []
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == sorted(
        f"Lefèvre Zoé – n° {synthesis.pk}.pdf" for synthesis in (first, second)
    )
    for synthesis in (first, second):
        assert archive.read(f"Lefèvre Zoé – n° {synthesis.pk}.pdf") == kept(synthesis).content


def test_names_in_the_zip_hold_nothing_windows_or_macos_refuse():
    synthesis = named(SynthesisFactory(signed=True), '../D’Aragon: "<Élise>"', "Anne*|?\\Ève\t")

    response = login(leader_of(synthesis)).get(
        reverse("synthesis:cohort_zip", args=[synthesis.enrolment.cohort_id])
    )

    [name] = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert name == f"D’Aragon Élise Anne Ève – n° {synthesis.pk}.pdf"


# Destruction, purge, the data archive --------------------------------------------------------


def test_destroying_the_synthesis_deletes_its_pdfs():
    synthesis = SynthesisFactory(signed=True)
    pdf.keep_signed_pdf(synthesis=synthesis)
    pdf.keep_signed_pdf(synthesis=synthesis, with_personal_situation=False)
    other = SynthesisFactory(signed=True)
    pdf.keep_signed_pdf(synthesis=other)

    synthesis.destroy()

    assert list(SignedPdf.objects.values_list("synthesis", flat=True)) == [other.pk]


def test_the_purge_deletes_the_pdfs_with_the_synthesis(settings):
    settings.RETENTION_MONTHS = {**settings.RETENTION_MONTHS, "syntheses": 60}
    synthesis = SynthesisFactory(signed=True)
    pdf.keep_signed_pdf(synthesis=synthesis)
    Synthesis.objects.filter(pk=synthesis.pk).update(signed_at=paris(2020, 3, 30))

    send_deletion_notices(now=paris(2030, 1, 1))
    assert purge_syntheses(on=paris(2030, 3, 1).date()) == 1

    assert not SignedPdf.objects.exists()


def test_once_the_key_is_destroyed_the_pdf_kept_cannot_be_read():
    synthesis = SynthesisFactory(signed=True)
    pdf.keep_signed_pdf(synthesis=synthesis)

    SynthesisKey.objects.filter(synthesis=synthesis).delete()

    stored = SignedPdf.objects.select_related("synthesis").get()
    with pytest.raises(UndecryptableError):
        stored.content  # noqa: B018


def test_the_data_archive_holds_the_pdf_kept(renders):
    synthesis = SynthesisFactory(signed=True)
    content = pdf.keep_signed_pdf(synthesis=synthesis)
    renders.clear()

    _metadata, files = syntheses_of(synthesis.enrolment.agent)

    assert files == [(f"synthese-{synthesis.pk}-version-1.pdf", content)] and renders == []
