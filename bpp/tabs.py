"""
A list split into tabs: each tab a GET of the same page (`?onglet=<key>`) with its own
pagination; the count of every tab comes from one aggregate query. The page shows them
with `templates/components/_tabs.html`.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import attrgetter

from django.core import signing
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, QueryDict


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


@dataclass
class Seek:
    """A page of a list read from where the next or previous one begins (keyset
    pagination): its rows and the addresses of the first, previous and next pages, if any.
    Any page costs what the first does, however far in the list; there are no page numbers.
    The page shows it with `templates/components/_seek_pager.html`."""

    object_list: list
    first_url: str | None
    previous_url: str | None
    next_url: str | None

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_other_pages(self) -> bool:
        return bool(self.first_url or self.previous_url or self.next_url)


def seek(
    request: HttpRequest,
    rows: QuerySet,
    *,
    order: Sequence[str],
    page_size: int,
    dropped: Sequence[str] = (),
) -> Seek:
    """The page of `rows` in `order` (paths to non-null values JSON can hold, the last one
    unique) that begins after the row bookmarked by `?apres=`, or ends before the one
    bookmarked by `?avant=`; the first page without a bookmark or with one that is not ours
    (a bookmark is signed: a forged one cannot become a query on values of the wrong type).
    Its links keep the page's other parameters but `dropped` (a search refused)."""
    after, before = _bookmark(request, "apres", order), _bookmark(request, "avant", order)
    if before is not None:
        backwards = rows.filter(_beyond(order, before, "lt")).order_by(*[f"-{k}" for k in order])
        found = list(backwards[: page_size + 1])
        shown = found[:page_size][::-1]
        has_previous, has_next = len(found) > page_size, True
    else:
        if after is not None:
            rows = rows.filter(_beyond(order, after, "gt"))
        found = list(rows.order_by(*order)[: page_size + 1])
        shown = found[:page_size]
        has_previous, has_next = after is not None, len(found) > page_size
    kept = request.GET.copy()
    for parameter in ("apres", "avant", "page", *dropped):
        kept.pop(parameter, None)
    return Seek(
        shown,
        first_url=_link(kept, order) if has_previous else None,
        previous_url=_link(kept, order, "avant", shown[0]) if has_previous and shown else None,
        next_url=_link(kept, order, "apres", shown[-1]) if has_next and shown else None,
    )


def _salt(order: Sequence[str]) -> str:
    # A bookmark of another list, or of this one in another order, is none.
    return "bpp.tabs.seek:" + ",".join(order)


def _bookmark(request: HttpRequest, name: str, order: Sequence[str]) -> list | None:
    try:
        values = signing.loads(request.GET.get(name, ""), salt=_salt(order))
    except signing.BadSignature:
        return None
    return values if isinstance(values, list) and len(values) == len(order) else None


def _link(kept: QueryDict, order: Sequence[str], name: str = "", row=None) -> str:
    """The address of this page with the bookmark `name` of `row`, or with none."""
    query = kept.copy()
    if name:
        query[name] = bookmark(row, order)
    return f"?{query.urlencode()}"


def bookmark(row, order: Sequence[str]) -> str:
    """The bookmark of `row` in a list in `order`: where the page after it begins
    (`?apres=`), or the page before it ends (`?avant=`)."""
    values = [attrgetter(key.replace("__", "."))(row) for key in order]
    return signing.dumps(values, salt=_salt(order))


def _beyond(order: Sequence[str], values: Sequence, lookup: str) -> Q:
    """The rows after (`lookup` "gt") or before ("lt") `values` in `order`:
    a > x OR (a = x AND (b > y OR (b = y AND c > z))). Django has no row-value comparison;
    the leading `a >= x` lets PostgreSQL start reading an index on (a, b, c) there instead of
    at its first entry (it cannot read an index range off an OR)."""
    return Q(**{f"{order[0]}__{lookup}e": values[0]}) & _strictly_beyond(order, values, lookup)


def _strictly_beyond(order: Sequence[str], values: Sequence, lookup: str) -> Q:
    first, *then = order
    beyond = Q(**{f"{first}__{lookup}": values[0]})
    if then:
        beyond |= Q(**{first: values[0]}) & _strictly_beyond(then, values[1:], lookup)
    return beyond
