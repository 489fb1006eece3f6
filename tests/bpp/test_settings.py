"""The production mode, checked in a fresh process since settings are read at start-up."""

import os
import secrets
import subprocess
import sys

from cryptography.fernet import Fernet
from django.conf import settings


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        # A production process: none of the test run's own switches (the browser tests
        # allow Django's ORM in Playwright's event loop).
        env={
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "DJANGO_SETTINGS_MODULE": "bpp.settings",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


SHOW_SHARED_STATE = """
from django.conf import settings
print(settings.CACHES["default"]["BACKEND"], settings.CACHES["default"].get("LOCATION", ""))
print(settings.SESSION_ENGINE)
"""


def test_production_settings_pass_the_deployment_checklist():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="bilans.exemple.gouv.fr",
        SYNTHESIS_KEYS=Fernet.generate_key().decode(),
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DEBUG="false", SECRET_KEY="")

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_its_own_synthesis_key():
    result = manage("check", DEBUG="false", SECRET_KEY=secrets.token_urlsafe(50), SYNTHESIS_KEYS="")

    assert result.returncode != 0
    assert "SYNTHESIS_KEYS must be set" in result.stderr


def test_sessions_expire_after_inactivity():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert "bpp.http.SessionRefreshMiddleware" in settings.MIDDLEWARE


def test_without_redis_the_cache_is_in_memory_and_sessions_in_the_database():
    result = manage("shell", "--no-imports", "-c", SHOW_SHARED_STATE, REDIS_URL="")

    assert result.stdout.split() == [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.contrib.sessions.backends.db",
    ]


def test_with_redis_the_cache_and_the_sessions_are_shared_through_it():
    result = manage(
        "shell", "--no-imports", "-c", SHOW_SHARED_STATE, REDIS_URL="redis://127.0.0.1:6379/1"
    )

    assert result.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://127.0.0.1:6379/1",
        "django.contrib.sessions.backends.cached_db",
    ]


SHOW_DATABASE_OPTIONS = (
    "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
)
DATABASE_WITH_OPTIONS = (
    "postgres://postgres@127.0.0.1:5432/bpp?options=-c%20statement_timeout%3D5000"
)


def test_on_postgresql_queries_are_prepared_planned_for_ssd_and_never_jit_compiled():
    result = manage(
        "shell", "--no-imports", "-c", SHOW_DATABASE_OPTIONS, DATABASE_URL=DATABASE_WITH_OPTIONS
    )

    assert result.stdout.strip() == (
        "{'options': '-c statement_timeout=5000 -c jit=off -c random_page_cost=1.1', "
        "'server_side_binding': True, 'prepare_threshold': 2}"
    ), result.stdout + result.stderr


def test_prepared_statements_can_be_turned_off_for_a_transaction_pooler():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        SHOW_DATABASE_OPTIONS,
        DATABASE_URL=DATABASE_WITH_OPTIONS,
        DATABASE_PREPARED_STATEMENTS="false",
    )

    assert result.stdout.strip() == (
        "{'options': '-c statement_timeout=5000 -c jit=off -c random_page_cost=1.1'}"
    ), result.stdout + result.stderr


def test_content_security_policy_requires_a_nonce_for_scripts(client):
    response = client.get("/connexion/")

    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "frame-ancestors 'none'" in policy
