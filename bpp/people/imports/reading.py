"""
An uploaded extract, read into a header and numbered rows of values.

CSV: UTF-8 (with or without BOM) or Windows-1252, as spreadsheets save them; the delimiter
(; , tab |) is sniffed. XLSX: the first sheet, read-only (constant memory). Values stay as
the file gives them (text, or a date/number from a spreadsheet cell): parsing is the
planner's job, where each error gets its line.
"""

import csv
import dataclasses
import io
import zipfile
from collections.abc import Iterator

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

ENCODINGS = ("utf-8-sig", "cp1252")
DELIMITERS = ";,\t|"


class FrenchCsv(csv.excel):
    delimiter = ";"  # what a French spreadsheet writes when the sniffer cannot tell


class UnreadableFile(ValueError):
    """The file is neither a CSV nor an XLSX we can read: its message is for the user."""


@dataclasses.dataclass
class Table:
    headers: list[str]
    # (line number as a spreadsheet shows it, values); blank lines skipped
    rows: list[tuple[int, list]]


def read_table(content: bytes, filename: str) -> Table:
    if filename.lower().endswith((".xlsx", ".xlsm")) or content[:2] == b"PK":
        return _read_xlsx(content)
    return _read_csv(content)


def _decode(content: bytes) -> str:
    for encoding in ENCODINGS:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(
        "Le fichier n’est ni en UTF-8 ni en Windows-1252 : enregistrez-le en CSV UTF-8."
    )


def _read_csv(content: bytes) -> Table:
    text = _decode(content)
    if "\x00" in text:
        raise UnreadableFile("Ce fichier n’est pas un fichier CSV ou XLSX lisible.")
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=DELIMITERS)
    except csv.Error:
        dialect = FrenchCsv
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        headers = next(reader, [])
        rows = [(reader.line_num, row) for row in reader if any(v.strip() for v in row)]
    except csv.Error as error:
        raise UnreadableFile(f"Le fichier CSV est mal formé (ligne {reader.line_num}).") from error
    return _checked(Table([h.strip() for h in headers], rows))


def _read_xlsx(content: bytes) -> Table:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
        raise UnreadableFile("Ce fichier n’est pas un classeur XLSX lisible.") from error
    try:
        sheet = workbook.worksheets[0]
        lines: Iterator[tuple] = sheet.iter_rows(values_only=True)
        headers = [("" if v is None else str(v)).strip() for v in next(lines, ())]
        rows = [
            (number, ["" if v is None else v for v in values])
            for number, values in enumerate(lines, start=2)
            if any(v not in (None, "") for v in values)
        ]
    finally:
        workbook.close()
    return _checked(Table(headers, rows))


def _checked(table: Table) -> Table:
    if not any(table.headers):
        raise UnreadableFile("Le fichier est vide : la première ligne doit nommer les colonnes.")
    return table
