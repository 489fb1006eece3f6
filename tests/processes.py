"""
The harness of the tests that start the real processes (gunicorn, db_worker,
run_scheduler) as subprocesses of the test, as deploy/Procfile lists them.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(**overrides: str) -> dict[str, str]:
    """The environment of a production process on this machine (plain HTTP, no proxy)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST", "DJANGO_SETTINGS", "BPP_TEST"))
    }
    env.update(
        DEBUG="false",
        SECRET_KEY="test-only-secret-key-for-the-process-tests-0123456789",
        SYNTHESIS_KEYS=settings.SYNTHESIS_KEYS[0],
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        REVERSE_PROXY_COUNT="0",
        LOG_LEVEL="WARNING",
    )
    env.update(overrides)
    return env


def database_url() -> str:
    """The URL of the database the tests use (PostgreSQL: the test database)."""
    db = settings.DATABASES["default"]
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


class Process(subprocess.Popen):
    """A subprocess whose output goes to a temporary file (a pipe would fill up)."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed by running())
        super().__init__(args, cwd=BASE_DIR, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")


def manage(*args: str, env: dict[str, str]) -> Process:
    return Process([sys.executable, "manage.py", *args], env)


def gunicorn(port: int, env: dict[str, str], workers: int = 1) -> Process:
    env = {**env, "WEB_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers)}
    return Process([str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py"], env)


def wait_until_serving(process: Process, port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server stopped: {process.output()}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
            return
        except urllib.error.HTTPError:
            return  # it answers, even if unhealthy
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing answers on port {port} after {timeout} s")


@contextmanager
def running(*processes: Process) -> Iterator[None]:
    """Stop the processes (SIGTERM, then SIGKILL) however the test ends.

    Their output stays readable inside the block (`process.output()`).
    """
    try:
        yield
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            process.log.close()
