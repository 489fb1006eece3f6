"""
Cursor pagination: keyset on the primary key, the cursor an opaque base64 token.

A page reads `limit + 1` rows after the last key of the previous page (an index seek,
however deep the page): the extra row says whether there is a next page. Rows added
while a client pages through come at the end; none is skipped or seen twice.
"""

import base64
import binascii
import json

from django.db.models import QuerySet

DEFAULT_LIMIT = 50
MAX_LIMIT = 100
# The largest key of a BigAutoField: a cursor beyond it is no cursor of ours.
MAX_KEY = 2**63 - 1


class InvalidCursor(Exception):
    """The cursor was not given by this API (HTTP 400)."""


def encode_cursor(after: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": after}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        after = json.loads(raw)["after"]
    except (binascii.Error, ValueError, TypeError, KeyError) as error:
        raise InvalidCursor from error
    if type(after) is not int or not 0 <= after <= MAX_KEY:
        raise InvalidCursor
    return after


def paginate(rows: QuerySet, *, cursor: str | None, limit: int) -> tuple[list, str | None]:
    """The page of `rows` after `cursor`, and the cursor of the next page (None: the last)."""
    after = decode_cursor(cursor) if cursor else 0
    found = list(rows.filter(pk__gt=after).order_by("pk")[: limit + 1])
    if len(found) > limit:
        return found[:limit], encode_cursor(found[limit - 1].pk)
    return found, None
