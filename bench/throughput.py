"""
Throughput of the production web server: requests a second on the CMC dashboard against
/healthz, under gunicorn with deploy/gunicorn.conf.py and production settings.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bpp_bench .venv/bin/python manage.py seed_ministry
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bpp_bench .venv/bin/python bench/throughput.py

Options through the environment: WEB_CONCURRENCY (gunicorn workers, 4), BENCH_CLIENTS
(parallel clients, 8), BENCH_SECONDS (per page, 10), REDIS_URL (sessions and cache in
Redis, as in production). Collects the static files first if they are missing. The
clients run on the same machine as the server: report the load (`uptime`) with the figures.
With wrk installed (`apt install wrk`), it loads the server instead of Python clients: they
take less of the machine's processors from the server, and the figures are higher.
"""

import multiprocessing
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "bpp.settings",
    "DEBUG": "false",
    "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
    "SYNTHESIS_KEYS": os.environ.get(
        "SYNTHESIS_KEYS", "ZGV2ZWxvcG1lbnQtb25seS1zeW50aGVzaXMta2V5ISE="
    ),
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    "LOG_LEVEL": "WARNING",
    # The bench database keeps the e-mails its jobs queued: /healthz must not answer 503.
    "HEALTHZ_MAX_TASK_AGE": str(10**9),
    "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "4"),
}
os.environ.update(ENV)
CLIENTS = int(os.environ.get("BENCH_CLIENTS", 8))
SECONDS = float(os.environ.get("BENCH_SECONDS", 10))
PORT = 8765

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402

from bpp.pages.management.commands.seed_ministry import DOMAIN  # noqa: E402
from bpp.people.models import User  # noqa: E402


def session_cookie(email: str) -> str:
    """A signed-in session for `email`, as the sign-in page would open it."""
    user = User.objects.get(email=email)
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def client(args: tuple[str, str, float]) -> tuple[int, int, list[float]]:
    path, cookie, until = args
    done = errors = 0
    durations = []
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", headers={"Cookie": cookie})
    while time.monotonic() < until:
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                response.read()
                ok = response.status == 200
        except OSError:
            ok = False
        durations.append(time.perf_counter() - start)
        done += ok
        errors += not ok
    return done, errors, durations


def measure(path: str, cookie: str) -> None:
    until = time.monotonic() + SECONDS
    with multiprocessing.Pool(CLIENTS) as pool:
        outcomes = pool.map(client, [(path, cookie, until)] * CLIENTS)
    done = sum(o[0] for o in outcomes)
    errors = sum(o[1] for o in outcomes)
    durations = [d for o in outcomes for d in o[2]]
    print(
        f"{path:24} {done / SECONDS:8.1f} req/s  médiane {statistics.median(durations) * 1000:6.1f} ms"
        f"  erreurs {errors}"
    )


def measure_with_wrk(path: str, cookie: str) -> None:
    url = f"http://127.0.0.1:{PORT}{path}"
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CLIENTS}",
            f"-d{SECONDS:.0f}s",
            "--latency",
            "-H",
            f"Cookie: {cookie}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    median = re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE)[1]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    print(
        f"{path:24} {rate:8.1f} req/s  médiane {median:>8}  erreurs {errors[1] if errors else 0}"
        " (wrk)"
    )


def main() -> None:
    if not (BASE_DIR / "staticfiles" / "staticfiles.json").exists():
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
            cwd=BASE_DIR,
            env=ENV,
            check=True,
        )
    cookie = session_cookie(f"cmc0@{DOMAIN}")
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py"],
        cwd=BASE_DIR,
        env={**ENV, "WEB_BIND": f"127.0.0.1:{PORT}", "FORWARDED_ALLOW_IPS": "127.0.0.1"},
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        for path in ("/conseiller/", "/healthz"):
            client((path, cookie, time.monotonic() + 1))  # warm-up of every worker
            (measure_with_wrk if shutil.which("wrk") else measure)(path, cookie)
        print(
            f"{ENV['WEB_CONCURRENCY']} workers gunicorn, {CLIENTS} clients, {SECONDS:.0f} s par page,"
            f" sessions {settings.SESSION_ENGINE.rsplit('.', 1)[-1]}; charge : {os.getloadavg()}"
        )
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
