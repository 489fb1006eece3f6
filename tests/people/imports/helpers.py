"""Extracts for the import tests, as an HR system would write them."""

import io

from openpyxl import Workbook

from bpp.people.imports.applying import apply_plan
from bpp.people.imports.mapping import RENOIRH
from bpp.people.imports.planning import plan_import
from bpp.people.imports.reading import read_table

HEADERS = [
    RENOIRH[name]
    for name in (
        "email",
        "last_name",
        "first_name",
        "service",
        "manager_email",
        "category",
        "status",
        "function_title",
        "post_start_date",
        "holds_level4_diploma",
        "covered_by_l5212_13",
        "exposed_to_professional_wear",
    )
]


def agent_row(email: str, /, **changes) -> list[str]:
    """A row of HEADERS: an agent of category B, with a diploma, no manager."""
    values = {
        "email": email,
        "last_name": "Martin",
        "first_name": "Claire",
        "service": "Bureau des affaires générales",
        "manager_email": "",
        "category": "B",
        "status": "Titulaire",
        "function_title": "Secrétaire administrative",
        "post_start_date": "01/09/2019",
        "holds_level4_diploma": "oui",
        "covered_by_l5212_13": "non",
        "exposed_to_professional_wear": "",
        **changes,
    }
    return [str(values[name]) for name in RENOIRH if name in values]


def csv_bytes(rows: list[list[str]], *, delimiter=";", encoding="utf-8", headers=HEADERS) -> bytes:
    lines = [delimiter.join(headers)] + [delimiter.join(row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows: list[list], *, headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def plan(organisation, content: bytes, *, filename="extraction.csv", full=False, by=None):
    table = read_table(content, filename)
    return plan_import(organisation, table, RENOIRH, full=full, by=by)


def run_import(organisation, content: bytes, **kwargs) -> dict:
    """Plan and apply: the counts."""
    made = plan(organisation, content, **kwargs)
    return apply_plan(made, by=kwargs.get("by"))
