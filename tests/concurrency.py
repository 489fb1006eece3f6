"""
The harness of the concurrency tests: actions run at the same moment, in real parallel
transactions, each in its own thread and database connection.

A module of such tests marks itself `pytestmark = POSTGRESQL_ONLY` (which includes the
`concurrency` marker): SQLite serialises every write and ignores row locks, so there they
are skipped, with the reason printed (`-ra`). Each race comes with a control run that shows the test detects the fault where it
exists (a naive implementation that the same race breaks).
"""

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

POSTGRESQL_ONLY = [
    pytest.mark.concurrency,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has no row locks nor parallel write transactions",
    ),
]


def in_parallel(*actions: Callable[[], object], timeout: float = 60) -> list:
    """Run each action in its own thread and connection, all starting together.

    Returns what each returned, or the exception it raised, in the order of the actions.
    """
    barrier = threading.Barrier(len(actions))
    outcomes: list = [None] * len(actions)

    def run(index: int, action: Callable[[], object]) -> None:
        try:
            barrier.wait()
            outcomes[index] = action()
        except Exception as error:
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a thread did not finish in time"
    return outcomes
