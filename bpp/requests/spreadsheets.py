"""
The rows of the requests list HR takes away as a spreadsheet (XLSX).

Its columns are declared once, with a version. New columns go at the END, and the
version goes up: the spreadsheets HR built on an earlier version keep reading the same
letters. A priority public says « oui », never its ground (as the queue's CSV): the file
leaves the service. Nothing of a synthesis is ever in it.
"""

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone

REQUEST_COLUMNS_VERSION = 1
REQUEST_COLUMNS = [  # new columns at the end only (see the module's docstring)
    "Employeur",
    "Agent",
    "Service",
    "Catégorie",
    "Initiative",
    "État",
    "Reçue le",
    "Date limite de réponse",
    "Décidée le",
    "Public prioritaire",
    "De droit (restructuration)",
]


def request_rows(requests: QuerySet) -> Iterator[list]:
    """One row per request of `requests` (ReviewRequest rows carrying their state)."""
    listed = requests.select_related(
        "organisation", "agent__user", "agent__service", "restructuring"
    ).order_by("-created_at", "-pk")
    for r in listed.iterator(chunk_size=2000):
        yield [
            r.organisation.name,
            r.agent.user.get_full_name(),
            r.agent.service.name,
            r.agent.category,
            r.get_initiative_display(),
            r.state_label,
            r.received_on,
            r.decision_deadline,
            timezone.localdate(r.decided_at) if r.decided_at else None,
            "oui" if r.is_priority else "non",
            str(r.restructuring) if r.restructuring_id else "",
        ]
