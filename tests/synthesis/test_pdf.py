"""The synthesis PDF, read back: the model of Annexe 2, Marianne, the footer, 2.5 only
for the agent and the leader, hostile text printed as text."""

import io
import re

import pytest
from pypdf import PdfReader

from bpp.templatetags.french import elide
from synthesis.document import build
from synthesis.models import header_for
from synthesis.pdf import synthesis_pdf
from tests.synthesis.factories import SAMPLE_CONTENT, SynthesisFactory

pytestmark = pytest.mark.django_db


def render(synthesis, *, with_personal_situation=True) -> PdfReader:
    version = synthesis.current()
    document = build(
        synthesis,
        version,
        header={},
        with_personal_situation=with_personal_situation,
        signatures=list(version.signatures.select_related("signer")),
    )
    return PdfReader(io.BytesIO(synthesis_pdf(document)))


def text_of(reader: PdfReader) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_it_follows_the_model_section_by_section_with_the_signatures():
    synthesis = SynthesisFactory(signed=True)
    reader = render(synthesis)
    text = text_of(reader)
    agent = synthesis.enrolment.agent

    for heading in [
        "Bilan de parcours professionnel collectif",
        "1. Phase de lancement",
        "1.1. Besoins et attentes de l’agent",
        "2.1.0. Analyse de l’ensemble du parcours professionnel",
        "2.3.4. Compétences à acquérir",
        "2.5. Prise en compte de la situation personnelle",
        "3.1.1. Le calendrier des actions",
        "3.1.2. Mise en œuvre opérationnelle des actions",
        "3.1.3. Les outils méthodologiques",
        "4. Phase de conclusion",
        "Co-signature",
    ]:
        assert heading in text, heading
    assert agent.user.get_full_name() in text and agent.function_title in text
    assert SAMPLE_CONTENT["sections"]["needs"] in text
    assert "Se former à la conduite de projet" in text
    assert "Étape 2 — action 1 : Suivre la formation" in text
    assert "Compte personnel de formation (CPF)" in text
    digest = synthesis.current().digest()
    assert text.count(digest) == 2  # both signatures, over the same content
    assert "Situation familiale" in text


def test_every_page_is_numbered_and_marked_confidential_and_the_agent_s_property():
    synthesis = SynthesisFactory(signed=True)
    reader = render(synthesis)
    name = synthesis.enrolment.agent.user.get_full_name()

    total = len(reader.pages)
    assert total >= 2
    for number, page in enumerate(reader.pages, start=1):
        text = " ".join(page.extract_text().split())
        assert f"Page {number} sur {total}" in text
        assert f"Document confidentiel — propriété {elide('de', name)}" in text


def test_a_copy_for_anyone_else_leaves_the_personal_situation_out():
    synthesis = SynthesisFactory(signed=True)

    text = text_of(render(synthesis, with_personal_situation=False))

    assert "Situation familiale" not in text and "enfants" not in text
    assert "Non reproduite dans cette copie" in text


def test_it_is_set_in_marianne_embedded():
    reader = render(SynthesisFactory(signed=True))

    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
        for font in [font.get_object()]
    }

    assert any(re.search(r"\+Marianne", font) for font in fonts), fonts


def test_hostile_text_is_printed_as_text_and_nothing_is_fetched(monkeypatch):
    fetched = []
    from bpp import printing

    original = printing.FETCHER.fetch
    monkeypatch.setattr(
        printing.FETCHER, "fetch", lambda url, headers=None: fetched.append(url) or original(url)
    )
    hostile = '<img src="http://127.0.0.1:1/x"><style>@import url(file:///etc/passwd)</style>'
    synthesis = SynthesisFactory(
        written=True,
        _content={
            "sections": {"needs": hostile},
            "actions": [],
            "schemes": [],
            "schemes_other": "",
        },
    )

    text = text_of(render(synthesis))

    assert '<img src="http://127.0.0.1:1/x">' in text
    assert not any("127.0.0.1" in url or "passwd" in url for url in fetched)


def test_an_empty_draft_renders_too():
    synthesis = SynthesisFactory()
    document = build(
        synthesis, None, header=header_for(synthesis.enrolment), with_personal_situation=True
    )

    text = text_of(PdfReader(io.BytesIO(synthesis_pdf(document))))

    assert "Non renseigné" in text and "Document non signé" in text
