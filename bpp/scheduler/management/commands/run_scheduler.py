import signal
import threading

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from bpp.scheduler.runner import run_due_jobs, scheduled_jobs


class Command(BaseCommand):
    # The system checks would import every view (WeasyPrint...): tens of MB held for
    # nothing by a process that sleeps; release.sh runs them once per release.
    requires_system_checks = []
    help = (
        "Lance les tâches périodiques à leur heure de Paris (réglage SCHEDULE). Plusieurs "
        "copies peuvent tourner, sur plusieurs machines : chaque exécution prévue n’a lieu "
        "qu’une fois. --once lance ce qui est dû puis s’arrête (pour cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="lance ce qui est dû et s’arrête")
        parser.add_argument(
            "--interval", type=float, default=30, help="secondes entre deux vérifications (30)"
        )

    def handle(self, *args, once: bool, interval: float, **options):
        stopping = threading.Event()
        if not once:
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_: stopping.set())
            for job in scheduled_jobs():
                self.stdout.write(
                    f"{job.name} : {job.command}, chaque jour à {job.at:%H:%M} (Paris)"
                )
        while True:
            for run in run_due_jobs(now=timezone.now()):
                self.stdout.write(f"{run.job} : {run.get_outcome_display()}")
            if once or stopping.wait(interval):
                return
            # A connection that broke (database restarted) or aged out is replaced.
            close_old_connections()
