"""Section 2.5 is encrypted at rest, rotates to a new key, and never reads as garbage."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection

from synthesis.fields import UndecryptableError
from synthesis.models import SynthesisVersion
from tests.synthesis.factories import SynthesisFactory

pytestmark = pytest.mark.django_db

SECRET = "Situation familiale : deux enfants ; santé : RAS."


def raw_tokens() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT personal_situation FROM synthesis_synthesisversion ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


def test_the_personal_situation_is_stored_encrypted_and_read_back_in_clear():
    synthesis = SynthesisFactory(written=True)

    [token] = raw_tokens()

    assert SECRET not in token and "enfants" not in token
    assert token.startswith("gAAAA")  # a Fernet token
    assert SynthesisVersion.objects.get(synthesis=synthesis).personal_situation == SECRET


def test_the_same_text_never_gives_the_same_token():
    SynthesisFactory(written=True)
    SynthesisFactory(written=True)

    first, second = raw_tokens()

    assert first != second


def test_an_empty_personal_situation_is_stored_empty():
    synthesis = SynthesisFactory()
    synthesis.save_version(
        by=synthesis.enrolment.agent.user, based_on=0, content={}, personal_situation=""
    )

    assert raw_tokens() == [""]


def test_a_wrong_key_raises_an_error_never_garbage(settings):
    SynthesisFactory(written=True)
    settings.SYNTHESIS_KEYS = [Fernet.generate_key().decode()]

    with pytest.raises(UndecryptableError):
        SynthesisVersion.objects.get().personal_situation  # noqa: B018


def test_rotation_re_encrypts_with_the_new_key_so_the_old_one_can_go(settings):
    SynthesisFactory(written=True)
    SynthesisFactory(written=True)
    old_key = settings.SYNTHESIS_KEYS[0]
    before = raw_tokens()
    new_key = Fernet.generate_key().decode()
    settings.SYNTHESIS_KEYS = [new_key, old_key]

    call_command("rotate_synthesis_keys", batch=1, stdout=io.StringIO())

    assert raw_tokens() != before
    settings.SYNTHESIS_KEYS = [new_key]  # the old key is removed
    assert [v.personal_situation for v in SynthesisVersion.objects.all()] == [SECRET, SECRET]


def test_rotation_stops_with_a_clear_message_when_a_key_is_missing(settings):
    SynthesisFactory(written=True)
    settings.SYNTHESIS_KEYS = [Fernet.generate_key().decode()]  # the old key forgotten
    before = raw_tokens()

    with pytest.raises(CommandError, match="aucune clé"):
        call_command("rotate_synthesis_keys", stdout=io.StringIO())

    assert raw_tokens() == before
