"""The whole content is encrypted under a data key of its own synthesis, which destruction
deletes; rotation re-wraps the data keys only; a wrong key never reads as garbage."""

import io

import pytest
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.core.management import CommandError, call_command
from django.db import connection

from synthesis.fields import UndecryptableError
from synthesis.models import (
    Comment,
    Synthesis,
    SynthesisError,
    SynthesisKey,
    SynthesisVersion,
)
from tests.cohorts.factories import EnrolmentFactory
from tests.synthesis.factories import SAMPLE_CONTENT, SynthesisFactory, leader_of

pytestmark = pytest.mark.django_db

SECRET = "Situation familiale : deux enfants ; santé : RAS."
REMARK = "Pensez à citer votre congé de maladie."


def raw(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [row[0] for row in cursor.fetchall()]


def raw_tokens() -> list[str]:
    return raw("SELECT personal_situation FROM synthesis_synthesisversion ORDER BY id")


def raw_contents() -> list[str]:
    return raw("SELECT content FROM synthesis_synthesisversion ORDER BY id")


def raw_comments() -> list[str]:
    return raw("SELECT text FROM synthesis_comment ORDER BY id")


def raw_wrapped_keys() -> list[str]:
    return raw("SELECT wrapped FROM synthesis_synthesiskey ORDER BY synthesis_id")


def commented(synthesis: Synthesis) -> Synthesis:
    Comment.objects.create(
        synthesis=synthesis, section="needs", author=leader_of(synthesis), text=REMARK
    )
    return synthesis


def opens(token: str, key: Fernet | MultiFernet) -> bool:
    try:
        key.decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def test_the_personal_situation_is_stored_encrypted_and_read_back_in_clear():
    synthesis = SynthesisFactory(written=True)

    [token] = raw_tokens()

    assert SECRET not in token and "enfants" not in token
    assert token.startswith("gAAAA")  # a Fernet token
    assert SynthesisVersion.objects.get(synthesis=synthesis).personal_situation == SECRET


def test_the_whole_content_is_stored_encrypted_and_read_back_in_clear():
    synthesis = SynthesisFactory(written=True)

    [token] = raw_contents()

    assert token.startswith("gAAAA")
    for word in ("chef de projet", "CPF", "Mentorat", "Méthodes agiles", "header"):
        assert word not in token
    content = SynthesisVersion.objects.get(synthesis=synthesis).content
    assert {key: content[key] for key in SAMPLE_CONTENT} == SAMPLE_CONTENT
    assert content["header"]["agent"] == synthesis.enrolment.agent.user.get_full_name()


def test_comments_are_stored_encrypted_and_read_back_in_clear():
    synthesis = commented(SynthesisFactory())

    [token] = raw_comments()

    assert token.startswith("gAAAA") and "maladie" not in token
    assert synthesis.comments.get().text == REMARK


def test_the_digest_is_the_digest_of_the_content_in_clear():
    version = SynthesisFactory(written=True).current()

    again = SynthesisVersion.objects.get(pk=version.pk)

    assert again.digest() == version.digest()
    assert b"enfants" in again.canonical() and b"chef de projet" in again.canonical()


def test_the_same_text_never_gives_the_same_token():
    SynthesisFactory(written=True)
    SynthesisFactory(written=True)

    first, second = raw_tokens()

    assert first != second


def test_two_syntheses_have_data_keys_of_their_own():
    first, second = SynthesisFactory(written=True), SynthesisFactory(written=True)
    first_token, second_token = raw_contents()

    assert opens(first_token, first.data_key()) and not opens(first_token, second.data_key())
    assert opens(second_token, second.data_key()) and not opens(second_token, first.data_key())


def test_the_data_key_is_stored_wrapped_and_the_content_not_under_the_master_keys(settings):
    SynthesisFactory(written=True)
    [wrapped], [content] = raw_wrapped_keys(), raw_contents()
    master = MultiFernet([Fernet(key) for key in settings.SYNTHESIS_KEYS])

    assert opens(wrapped, master)
    assert not opens(content, master)


def test_a_synthesis_opened_in_bulk_gets_its_key_on_the_first_write():
    enrolment = EnrolmentFactory()
    Synthesis.objects.open_for([enrolment])
    synthesis = Synthesis.objects.get(enrolment=enrolment)
    assert not SynthesisKey.objects.exists()  # nothing written, nothing to encrypt

    synthesis.save_version(
        by=enrolment.agent.user, based_on=0, content={"sections": {}}, personal_situation=SECRET
    )

    assert SynthesisKey.objects.get().synthesis == synthesis
    assert Synthesis.objects.get(pk=synthesis.pk).current().personal_situation == SECRET


def test_an_empty_personal_situation_is_stored_empty():
    synthesis = SynthesisFactory()
    synthesis.save_version(
        by=synthesis.enrolment.agent.user, based_on=0, content={}, personal_situation=""
    )

    assert raw_tokens() == [""]


def test_a_wrong_key_raises_an_error_never_garbage(settings):
    commented(SynthesisFactory(written=True))
    settings.SYNTHESIS_KEYS = [Fernet.generate_key().decode()]

    with pytest.raises(UndecryptableError):
        SynthesisVersion.objects.get().personal_situation  # noqa: B018
    with pytest.raises(UndecryptableError):
        SynthesisVersion.objects.get().content  # noqa: B018
    with pytest.raises(UndecryptableError):
        Comment.objects.get().text  # noqa: B018


def test_content_is_never_written_in_clear_around_the_key():
    synthesis = SynthesisFactory(written=True)

    with pytest.raises(TypeError, match="encrypted"):
        synthesis.versions.update(content={"sections": {"needs": "en clair"}})
    with pytest.raises(TypeError, match="encrypted"):
        Comment.objects.filter(text="en clair").exists()


def test_destruction_deletes_the_key_so_no_copy_of_the_content_decrypts(settings):
    synthesis = commented(SynthesisFactory(signed=True))
    survivor = commented(SynthesisFactory(written=True))
    copies = raw_tokens() + raw_contents() + raw_comments()  # a backup, taken before
    assert len(copies) == 6

    synthesis.destroy()

    assert list(SynthesisKey.objects.values_list("synthesis", flat=True)) == [survivor.pk]
    keys = [Fernet(key) for key in settings.SYNTHESIS_KEYS]
    keys += [k.fernet for k in SynthesisKey.objects.all()]
    readable = [token for token in copies if any(opens(token, key) for key in keys)]
    assert len(readable) == 3  # the survivor's, and only them
    assert SynthesisVersion.objects.get().content["sections"] == SAMPLE_CONTENT["sections"]
    with pytest.raises(UndecryptableError):
        Synthesis.objects.get(pk=synthesis.pk).data_key()


def test_a_destroyed_synthesis_gets_no_new_key():
    synthesis = SynthesisFactory(written=True)
    synthesis.destroy()

    with pytest.raises(SynthesisError, match="détruite"):
        synthesis.data_key(create=True)
    assert not SynthesisKey.objects.exists()


def test_rotation_re_wraps_the_data_keys_only_so_the_old_key_can_go(settings):
    commented(SynthesisFactory(written=True))
    SynthesisFactory(written=True)
    old_key = settings.SYNTHESIS_KEYS[0]
    keys_before = raw_wrapped_keys()
    content_before = raw_tokens() + raw_contents() + raw_comments()
    new_key = Fernet.generate_key().decode()
    settings.SYNTHESIS_KEYS = [new_key, old_key]

    out = io.StringIO()
    call_command("rotate_synthesis_keys", batch=1, stdout=out)

    assert "2/2 clé(s) rechiffrée(s)" in out.getvalue()
    assert all(a != b for a, b in zip(raw_wrapped_keys(), keys_before, strict=True))
    assert raw_tokens() + raw_contents() + raw_comments() == content_before
    settings.SYNTHESIS_KEYS = [new_key]  # the old key is removed
    assert [v.personal_situation for v in SynthesisVersion.objects.all()] == [SECRET, SECRET]
    assert Comment.objects.get().text == REMARK


def test_rotation_stops_with_a_clear_message_when_a_key_is_missing(settings):
    SynthesisFactory(written=True)
    settings.SYNTHESIS_KEYS = [Fernet.generate_key().decode()]  # the old key forgotten
    before = raw_wrapped_keys()

    with pytest.raises(CommandError, match="aucune clé"):
        call_command("rotate_synthesis_keys", stdout=io.StringIO())

    assert raw_wrapped_keys() == before
