"""
A list split into tabs: each tab a GET of the same page (`?onglet=<key>`) with its own
pagination; the count of every tab comes from one aggregate query. The page shows them
with `templates/components/_tabs.html`.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest


@dataclass(frozen=True)
class Tab:
    key: str  # in the address: ?onglet=<key>
    label: str
    rows: Q  # which rows of the list it shows
    order: tuple[str, ...]


def chosen(request: HttpRequest, keys: Sequence[str]) -> str:
    """The tab asked for, or the first one (an unknown tab is no error)."""
    asked = request.GET.get("onglet", "")
    return asked if asked in keys else keys[0]


def tabbed(
    request: HttpRequest,
    rows: QuerySet,
    tabs: Sequence[Tab],
    *,
    page_size: int,
    shown: Callable[[QuerySet], QuerySet] = lambda rows: rows,
) -> dict:
    """The context of a tabbed list: `tabs` as (key, label, count), `current_tab` (its
    key), `current_tab_label` and `page_obj`, the page of its rows; `shown` adds what the rows display needs
    (select_related, annotations)."""
    counts = rows.order_by().aggregate(
        **{f"tab_{index}": Count("pk", filter=tab.rows) for index, tab in enumerate(tabs)}
    )
    current_key = chosen(request, [tab.key for tab in tabs])
    index, current = next((i, tab) for i, tab in enumerate(tabs) if tab.key == current_key)
    rows = shown(rows.filter(current.rows)).order_by(*current.order)
    page = page_of(request, rows, page_size=page_size, count=counts[f"tab_{index}"])
    return {
        "tabs": [(tab.key, tab.label, counts[f"tab_{i}"]) for i, tab in enumerate(tabs)],
        "current_tab": current.key,
        "current_tab_label": current.label,
        "page_obj": page,
    }


def page_of(request: HttpRequest, rows: QuerySet, *, page_size: int, count: int) -> Page:
    """The page asked for (`?page=`) of `rows`, counted already by the tabs: no second
    COUNT query."""
    paginator = Paginator(rows, page_size)
    paginator.count = count  # a cached property: what the paginator would have counted
    return paginator.get_page(request.GET.get("page"))


@dataclass
class Window:
    """A page of a list read without counting the list: its rows and whether more follow.
    The page shows it with `templates/components/_pager.html` (previous / next)."""

    object_list: list
    number: int
    has_next: bool

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def window_of(request: HttpRequest, rows: QuerySet, *, page_size: int) -> Window:
    """The page asked for (`?page=`, the first if it is no number) of a list too long to
    count on every view: page_size + 1 rows are read, the last one says a next page exists."""
    try:
        number = max(1, int(request.GET.get("page", 1)))
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * page_size
    found = list(rows[start : start + page_size + 1])
    return Window(found[:page_size], number, has_next=len(found) > page_size)
