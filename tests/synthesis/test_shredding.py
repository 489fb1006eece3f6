"""Destroyed means unreadable everywhere: neither the database nor a backup taken before
the destruction gives back a word of the content (PostgreSQL only: it runs pg_dump)."""

import re
import shutil
import subprocess

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.db import connection

from synthesis.models import Comment
from tests.synthesis.factories import SynthesisFactory, leader_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or shutil.which("pg_dump") is None,
        reason="needs PostgreSQL and pg_dump: it reads a dump of the test database",
    ),
]

CANARY = "Canari-7f3e9b"
FERNET_TOKEN = re.compile(r"gAAAAA[A-Za-z0-9_\-]+=*")


def pg_dump() -> str:
    db = connection.settings_dict
    command = ["pg_dump", "--no-owner", "--dbname", db["NAME"]]
    for option, value in (
        ("--host", db["HOST"]),
        ("--port", db["PORT"]),
        ("--username", db["USER"]),
    ):
        if value:
            command += [option, str(value)]
    env = {"PGPASSWORD": db["PASSWORD"]} if db["PASSWORD"] else None
    return subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout


def plaintexts(dump: str, keys: list[Fernet]) -> list[str]:
    """Every token of the dump that one of `keys` opens, opened."""
    opened = []
    for token in FERNET_TOKEN.findall(dump):
        for key in keys:
            try:
                opened.append(key.decrypt(token.encode()).decode())
            except InvalidToken:
                continue
    return opened


def keys_in(dump: str, settings) -> list[Fernet]:
    """The data keys a thief holding this dump and SYNTHESIS_KEYS would unwrap."""
    master = [Fernet(key) for key in settings.SYNTHESIS_KEYS]
    return master + [Fernet(key) for key in plaintexts(dump, master)]


def canary_synthesis():
    synthesis = SynthesisFactory()
    content = {
        "sections": {"needs": f"Besoin {CANARY}", "conclusions": f"Conclusion {CANARY}"},
        "actions": [{"title": f"Action {CANARY}", "duration": "", "due_on": "", "steps": []}],
        "schemes": [f"Dispositif {CANARY}"],
        "schemes_other": f"Autre {CANARY}",
    }
    synthesis.save_version(
        by=synthesis.enrolment.agent.user,
        based_on=0,
        content=content,
        personal_situation=f"Santé {CANARY}",
    )
    Comment.objects.create(
        synthesis=synthesis, section="needs", author=leader_of(synthesis), text=f"Avis {CANARY}"
    )
    return synthesis


def test_after_destruction_no_token_of_the_database_or_of_an_older_backup_decrypts(settings):
    synthesis = canary_synthesis()
    SynthesisFactory(written=True)  # another agent's synthesis, which stays
    backup = pg_dump()
    assert CANARY not in backup  # encrypted at rest
    # Control: with the keys still in the database, the backup opens (the test can see):
    # the content (sections, action plan, schemes), section 2.5 and the comment.
    assert sum(CANARY in text for text in plaintexts(backup, keys_in(backup, settings))) == 3

    synthesis.destroy()
    after = pg_dump()

    assert CANARY not in after
    keys = keys_in(after, settings)
    assert len(keys) == len(settings.SYNTHESIS_KEYS) + 1  # the survivor's data key only
    wrapped_keys = len(keys) - len(settings.SYNTHESIS_KEYS)
    for dump in (after, backup):
        opened = plaintexts(dump, keys)
        assert not any(CANARY in text for text in opened)
    # In the dump after destruction, only the survivor's wrapped key and its content open.
    assert len(plaintexts(after, keys)) == wrapped_keys + 2
