"""
XLSX files of long lists (thousands of rows): openpyxl's write-only workbook streams the
rows to its own temporary files, so building it takes constant memory; only the finished,
compressed file is held (a few MB for 100,000 rows) while the response streams it.

Each list's columns are declared once, with a version, by the app that builds its rows
(a list `COLUMNS` and `COLUMNS_VERSION`); new columns go at the end, so that the
spreadsheets HR built on an earlier version keep reading the same letters.
"""

import datetime
import io
from collections.abc import Iterable, Sequence

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

DATE_FORMAT = "DD/MM/YYYY"


def xlsx_response(
    *, filename: str, title: str, columns: Sequence[str], version: int, rows: Iterable[Sequence]
) -> FileResponse:
    """An XLSX attachment of one sheet named `title`: the header `columns`, then `rows`
    (text, numbers, dates; None for an empty cell). The file's properties carry the
    version of the columns."""
    workbook = Workbook(write_only=True)
    workbook.properties.title = title
    workbook.properties.version = str(version)
    workbook.properties.keywords = f"colonnes v{version}"
    sheet = workbook.create_sheet(title[:31])  # Excel's limit on a sheet's name
    bold = Font(bold=True)
    sheet.append([_cell(sheet, name, font=bold) for name in columns])
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
    output = io.BytesIO()
    workbook.save(output)
    output.seek(0)
    return FileResponse(
        output,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _cell(sheet, value, *, font: Font | None = None):
    if isinstance(value, datetime.datetime):
        value = value.replace(tzinfo=None)  # local time already: Excel knows no zones
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime.date):
        cell.number_format = (
            DATE_FORMAT if not isinstance(value, datetime.datetime) else (DATE_FORMAT + " hh:mm")
        )
    if font is not None:
        cell.font = font
    return cell
