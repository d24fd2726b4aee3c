"""Turning an uploaded register (CSV or Excel) into a header row and rows of text cells.

Anything that is not a register vsend can read is refused whole with `UnreadableFile` and a
message saying why; nothing about the rows' meaning is decided here (see records.py).

An Excel workbook is a zip of XML files. Before openpyxl opens it, the zip's directory is
checked: its parts must add up to less than MAX_UNZIPPED_BYTES and none may be compressed
more than MAX_RATIO times, so a small file that would unpack to gigabytes (a zip bomb) is
refused without unpacking anything. openpyxl then reads it in read-only mode (streaming), and
parses its XML through defusedxml (installed alongside), which refuses entities.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 200
MAX_CELL = 500
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
MAX_RATIO = 100
MAX_ZIP_ENTRIES = 500


class UnreadableFile(Exception):
    """The whole file is refused; the message says why, in the words shown to the user."""


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (row number, cells)


def _too_many_rows() -> UnreadableFile:
    return UnreadableFile(
        f"The selected file has more than {MAX_ROWS:,} rows: export one setting's register"
    )


def decode(data: bytes) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise UnreadableFile(
                "The selected file is not in a text encoding vsend can read"
            ) from None
    if b"\x00" in data:
        raise UnreadableFile(
            "The selected file is not a CSV file: save the register from your MIS as CSV "
            "(UTF-8) or as an Excel workbook (.xlsx)"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise UnreadableFile(
            "The selected file is not in a text encoding vsend can read: save it as CSV (UTF-8)"
        ) from None


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _clean(cells: list[str]) -> list[str]:
    return [c.strip()[:MAX_CELL] for c in cells]


def _table(rows: Any) -> Table:
    """Header row first; blank rows skipped; every row numbered as a spreadsheet shows it."""
    headers: list[str] | None = None
    table = Table(headers=[])
    for number, raw in enumerate(rows, start=1):
        cells = _clean(raw)
        if not any(cells):
            continue
        if headers is None:
            if len(cells) > MAX_COLUMNS:
                raise UnreadableFile(
                    f"The selected file has more than {MAX_COLUMNS} columns: it is not a register"
                )
            headers = cells
            while headers and not headers[-1]:
                headers.pop()
            if len(set(filter(None, headers))) < 2:
                raise UnreadableFile(
                    "The selected file's first row is not a row of column headings"
                )
            table.headers = headers
            continue
        if len(table.rows) >= MAX_ROWS:
            raise _too_many_rows()
        table.rows.append((number, cells[: len(headers)] + [""] * (len(headers) - len(cells))))
    if headers is None:
        raise UnreadableFile("The selected file is empty")
    if not table.rows:
        raise UnreadableFile("The selected file has column headings but no children")
    return table


def read_csv(data: bytes) -> Table:
    text = decode(data)
    if not text.strip():
        raise UnreadableFile("The selected file is empty")
    first = text.lstrip().split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first))
    try:
        return _table(reader)
    except csv.Error as exc:
        raise UnreadableFile(
            f"The selected file is not a CSV file vsend can read (line {reader.line_num}: {exc})"
        ) from None


def check_zip(data: bytes) -> None:
    """Refuse a workbook whose parts would unpack to too much, before unpacking any of it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UnreadableFile(
            "The selected file is not an Excel workbook vsend can read: it may be damaged or "
            "cut short; save it again as .xlsx"
        ) from None
    if len(infos) > MAX_ZIP_ENTRIES:
        raise UnreadableFile("The selected file is not an Excel workbook (too many parts)")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_RATIO * max(info.compress_size, 1) and info.file_size > 1 << 20:
            raise UnreadableFile(
                "The selected file would unpack to far more than its size, so vsend has not "
                "opened it: save the register from your MIS again as .xlsx"
            )
    if total > MAX_UNZIPPED_BYTES:
        raise UnreadableFile(
            "The selected workbook is too large to read: export one setting's register only"
        )
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        raise UnreadableFile(
            "The selected file is a zip file, not an Excel workbook: save the register as .xlsx"
        )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(data: bytes) -> Table:
    check_zip(data)
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a damaged or hostile workbook
        raise UnreadableFile(
            "The selected file is not an Excel workbook vsend can read: save it again as .xlsx"
        ) from None
    try:
        sheet = book.worksheets[0]

        def rows() -> Any:
            for count, row in enumerate(sheet.iter_rows(values_only=True)):
                if count > MAX_ROWS + 1:
                    raise _too_many_rows()
                yield [_cell(v) for v in row[: MAX_COLUMNS + 1]]

        return _table(rows())
    except UnreadableFile:
        raise
    except Exception:
        raise UnreadableFile(
            "The selected file is not an Excel workbook vsend can read: save it again as .xlsx"
        ) from None
    finally:
        book.close()


def read_register(data: bytes, file_name: str) -> tuple[str, Table]:
    """("csv" or "xlsx", the table) for an upload; UnreadableFile if it cannot be read."""
    if len(data) > MAX_BYTES:
        raise UnreadableFile(
            f"The selected file must be smaller than {MAX_BYTES // (1024 * 1024)} MB"
        )
    if not data.strip():
        raise UnreadableFile("The selected file is empty")
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return "xlsx", read_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile(
            "The selected file is an old Excel workbook (.xls): save it as .xlsx or CSV"
        )
    if data.startswith(b"%PDF"):
        raise UnreadableFile("The selected file is a PDF, not a register")
    if data.lstrip().startswith(b"<"):
        raise UnreadableFile(
            "The selected file is XML, not a register: import a Common Transfer File from "
            "the Common Transfer File page"
        )
    if file_name.lower().endswith((".xlsx", ".xlsm")):
        raise UnreadableFile(
            "The selected file is named as an Excel workbook but is not one: save it again"
        )
    return "csv", read_csv(data)
