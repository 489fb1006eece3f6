"""
Resident memory (RSS) of the tasks worker and of the scheduler, target ≤ 150 MB each.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bpp_bench .venv/bin/python bench/process_memory.py

Starts `db_worker` and `run_scheduler` with production settings, samples their RSS for
BENCH_SECONDS (90) while the scheduler runs every periodic job due (on a database just
filled by `seed_ministry`, the jobs work on its rows) and the worker sends the e-mails
they queue; reports the peak and the last sample. Writes into the database like the real jobs do: a bench
database only.
"""

import contextlib
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
ENV = {
    **os.environ,
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "SYNTHESIS_KEYS": os.environ.get(
        "SYNTHESIS_KEYS", "ZGV2ZWxvcG1lbnQtb25seS1zeW50aGVzaXMta2V5ISE="
    ),
    "ALLOWED_HOSTS": "127.0.0.1",
    "EMAIL_URL": "dummymail://",
    "LOG_LEVEL": "WARNING",
}


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no RSS for {pid}")


def children_rss_mb(pid: int) -> float:
    """The largest RSS among the process's children (the scheduler's running job)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0.0
    sizes = []
    for child in children:
        with contextlib.suppress(OSError, RuntimeError):
            sizes.append(rss_mb(int(child)))
    return max(sizes, default=0.0)


def main() -> None:
    if "DATABASE_URL" not in os.environ:
        sys.exit("DATABASE_URL : une base de mesure (seed_ministry), jamais celle de production.")
    manage = [sys.executable, "manage.py"]
    processes = {
        "db_worker": subprocess.Popen(
            [*manage, "db_worker", "--interval", "1"], cwd=BASE_DIR, env=ENV
        ),
        "run_scheduler": subprocess.Popen(
            [*manage, "run_scheduler", "--interval", "5"], cwd=BASE_DIR, env=ENV
        ),
    }
    try:
        peak = dict.fromkeys(processes, 0.0)
        job_peak = 0.0
        deadline = time.monotonic() + float(os.environ.get("BENCH_SECONDS", 90))
        while time.monotonic() < deadline:
            for name, process in processes.items():
                peak[name] = max(peak[name], rss_mb(process.pid))
            job_peak = max(job_peak, children_rss_mb(processes["run_scheduler"].pid))
            time.sleep(0.2)
        for name, process in processes.items():
            print(
                f"{name:14} au plus haut {peak[name]:6.1f} Mo, à la fin {rss_mb(process.pid):6.1f} Mo"
            )
        print(
            f"{'tâche lancée':14} au plus haut {job_peak:6.1f} Mo (processus enfant de l’ordonnanceur)"
        )
        print(f"charge : {os.getloadavg()}")
    finally:
        for process in processes.values():
            process.terminate()
            process.wait()


if __name__ == "__main__":
    main()
