"""
Gunicorn settings of the web process: `gunicorn -c deploy/gunicorn.conf.py bpp.wsgi`.

Read from the environment (the same /etc/bpp/env as the application):
- WEB_BIND: address to listen on (default 127.0.0.1:8000, behind the reverse proxy);
- WEB_CONCURRENCY: worker processes (default 2 × cores + 1, at most 8: each one holds
  a database connection and ~100 MB);
- WEB_TIMEOUT: seconds before a stuck worker is killed and replaced (default 60).
The access log goes to stdout as one JSON object a line, like the application's logs.
"""

import datetime
import json
import multiprocessing
import os

from gunicorn.glogging import Logger

MAX_WORKERS = 8

wsgi_app = "bpp.wsgi:application"
bind = os.environ.get("WEB_BIND", "127.0.0.1:8000").split(",")
workers = int(
    os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, MAX_WORKERS))
)
timeout = int(os.environ.get("WEB_TIMEOUT", 60))
graceful_timeout = 30
# Restart each worker now and then: a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200
# Only the reverse proxy on this machine may set X-Forwarded-* (Django reads X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = "-"
errorlog = "-"


class JsonAccessLogger(Logger):
    """Write each access as one JSON line: the same shape as the application's logs."""

    def access(self, resp, req, environ, request_time) -> None:
        if not self.access_log_enabled:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        line = {
            "time": datetime.datetime.now(datetime.UTC).isoformat(timespec="milliseconds"),
            "level": "INFO",
            "logger": "gunicorn.access",
            "method": atoms["m"],
            "path": atoms["U"],
            "query": atoms["q"],
            "status": int(atoms["s"]),
            "bytes": atoms["B"],
            "duration_ms": round(atoms["D"] / 1000, 1),
            "remote_addr": atoms["h"],
            "user_agent": atoms["a"],
            "request_id": atoms.get("{x-request-id}o", ""),
            "pid": os.getpid(),
        }
        self.access_log.info(json.dumps(line, ensure_ascii=False))


logger_class = JsonAccessLogger
