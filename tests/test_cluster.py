"""
Several machines, proven on this one: two web servers, two tasks workers and two
schedulers, as separate processes sharing PostgreSQL and Redis, as deploy/Procfile runs
them on each machine. A session opened on one server is valid on the other, sign-in
failures are counted across both, each queued e-mail is sent once, each periodic job
runs once.

Needs PostgreSQL (SQLite is one file on one machine) and Redis (REDIS_URL, or
127.0.0.1:6379); skipped, with the reason, without them. `.ci/run` starts Redis.
"""

import http.cookiejar
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from bpp.mailer import send_email
from bpp.scheduler.models import JobRun
from tests import processes
from tests.people.factories import UserFactory

REDIS_URL = os.environ.get("BPP_TEST_REDIS_URL", "redis://127.0.0.1:6379/1")
EMAILS = 1000
FAILURE_LIMIT = 4


def redis_unreachable() -> str:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        return f"needs Redis at {REDIS_URL}: {error}"
    return ""


pytestmark = [
    pytest.mark.cluster,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: the processes share the test database",
    ),
    pytest.mark.skipif(bool(NO_REDIS := redis_unreachable()), reason=NO_REDIS),
]


class Browser:
    """Cookies kept across both servers (one host), redirects not followed."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), self.NoRedirect
        )

    def request(self, port: int, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(f"http://127.0.0.1:{port}{path}", body, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def sign_in(self, port: int, email: str, password: str) -> int:
        _, page = self.request(port, "/connexion/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, _ = self.request(
            port,
            "/connexion/",
            {"csrfmiddlewaretoken": token, "username": email, "password": password},
        )
        return status


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not after {timeout} s")
        time.sleep(0.5)


def sent_subjects(folder: Path) -> list[str]:
    return [
        subject
        for log in folder.glob("*.log")
        for subject in re.findall(r"^Subject: (.+)$", log.read_text(), re.MULTILINE)
    ]


def test_two_machines_share_sessions_lockouts_e_mails_and_periodic_jobs(tmp_path):
    mails = tmp_path / "mails"
    prefix = f"cluster-{uuid.uuid4().hex[:8]}"
    env = processes.production_env(
        DEBUG="true",  # plain HTTP and no collected static files; the rest is production's
        DATABASE_URL=processes.database_url(),
        REDIS_URL=REDIS_URL,
        CACHE_KEY_PREFIX=prefix,
        EMAIL_URL=f"filemail:///{mails}",
        LOGIN_FAILURE_LIMIT=str(FAILURE_LIMIT),
        LOG_LEVEL="WARNING",
    )
    # The servers run the production settings: their hasher, not the tests' (conftest).
    password = PBKDF2PasswordHasher().encode(settings.DEMO_PASSWORD, "cluster-salt")
    user = UserFactory(email="camille.martin@exemple.gouv.fr", password=password)
    guessed = UserFactory(email="dominique.petit@exemple.gouv.fr", password=password)
    for number in range(EMAILS):
        send_email.enqueue(
            to=[user.email], subject=f"Message {number:04}", text="Texte", html="<p>Texte</p>"
        )
    ports = [processes.free_port(), processes.free_port()]
    webs = [processes.gunicorn(port, env) for port in ports]
    workers = [
        processes.manage("db_worker", "--batch", "--interval", "0.2", env=env) for _ in range(2)
    ]
    schedulers = [processes.manage("run_scheduler", "--interval", "1", env=env) for _ in range(2)]
    every = webs + workers + schedulers
    with processes.running(*every):
        for web, port in zip(webs, ports, strict=True):
            processes.wait_until_serving(web, port)

        # A session opened on one server is valid on the other.
        browser = Browser()
        assert browser.sign_in(ports[0], user.email, settings.DEMO_PASSWORD) == 302
        assert browser.request(ports[1], "/compte/")[0] == 200
        assert browser.request(ports[0], "/compte/")[0] == 200
        assert Browser().request(ports[1], "/compte/")[0] == 302  # and not without it
        assert redis.Redis.from_url(REDIS_URL).keys(f"{prefix}:*:django.contrib.sessions.*")

        # Sign-in failures on both servers add up to the lockout.
        for attempt in range(FAILURE_LIMIT):
            status = Browser().sign_in(ports[attempt % 2], guessed.email, "pas-le-bon-mot-de-passe")
        assert status == 429
        assert Browser().sign_in(ports[0], guessed.email, settings.DEMO_PASSWORD) == 429

        # Each e-mail sent once, by either worker.
        for worker in workers:
            worker.wait(timeout=120)
        subjects = sent_subjects(mails)
        assert len(subjects) == EMAILS, [w.output()[-2000:] for w in workers]
        assert sorted(subjects) == [f"Message {number:04}" for number in range(EMAILS)]

        # Each periodic job run once, whichever scheduler took it.
        wait_for(
            lambda: (
                JobRun.objects.exclude(outcome=JobRun.Outcome.RUNNING).count()
                == len(settings.SCHEDULE)
            ),
            timeout=60,
            what="every periodic job run",
        )
        time.sleep(2)  # both schedulers look again: nothing more is due
        runs = JobRun.objects.values_list("job", "outcome")
        assert sorted(runs) == sorted((job, "succeeded") for job in settings.SCHEDULE), [
            s.output()[-2000:] for s in schedulers
        ]
