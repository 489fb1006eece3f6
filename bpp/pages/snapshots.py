"""
The day's figures of an employer, kept in the database as well as in the shared cache.

The indicators and the quality index are figures of the day: computed once per employer,
period and day (each key holds the day). The nightly job `compute_daily_figures` computes
them for every employer after midnight and keeps them here, so that the first reader of
the day, and any reader after the cache was emptied (Redis restarted, a machine added),
reads one row instead of some thirty aggregates over years of requests. The job deletes
the rows of the days before.
"""

import datetime
import logging
import pickle
from collections.abc import Callable

from django.core.cache import cache

from bpp.pages.models import DailyFigures

logger = logging.getLogger(__name__)

# The version of what is pickled: raise it when a dataclass of the figures changes, and
# the rows written before are no longer read (the job deletes them the next night).
FORMAT = 2
DAY = 60 * 60 * 24


def daily[T](key: str, day: datetime.date, compute: Callable[[], T]) -> T:
    """The figures under `key` for `day`: from the cache, else from the database, else
    computed by `compute` and kept in both."""
    key = f"v{FORMAT}:{key}"
    found = cache.get(key)
    if found is None:
        found = _stored(key)
        if found is None:
            found = compute()
            # Two servers may compute the same figures at once: the first row stays.
            DailyFigures.objects.bulk_create(
                [DailyFigures(key=key, day=day, payload=pickle.dumps(found))],
                ignore_conflicts=True,
            )
        cache.set(key, found, DAY)
    return found


def _stored(key: str):
    payload = DailyFigures.objects.filter(key=key).values_list("payload", flat=True).first()
    if payload is None:
        return None
    try:
        # Only this module writes the rows, from figures it computed itself.
        return pickle.loads(payload)
    except Exception:
        # Figures written by an older release that no longer read back: computed again.
        logger.warning("Chiffres du jour illisibles, recalculés : %s", key)
        DailyFigures.objects.filter(key=key).delete()
        return None


def forget_before(day: datetime.date) -> int:
    """Deletes the figures of the days before `day`; returns how many rows went."""
    deleted, _ = DailyFigures.objects.filter(day__lt=day).delete()
    return deleted
