"""Reading the public register of schools (Get Information about Schools, GIAS).

GIAS publishes its establishment extract as a CSV file in Windows-1252, one row per
establishment, with a header row naming columns such as `URN`, `EstablishmentName`,
`TypeOfEstablishment (name)`, `PhaseOfEducation (name)`, `LA (code)`,
`EstablishmentStatus (name)`, `OpenDate` and `CloseDate` (dates as DD-MM-YYYY), and
`EstablishmentNumber` (the 4-digit DfE number after the LA code, which Common Transfer Files
use).

`read_extract` turns the bytes of such a file into the rows for one authority, each a plain
dict of vsend's setting fields, plus every row it left out or could not read, by row number,
in plain words. A file that cannot be read at all raises `UnreadableFile` with the message
to show.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from vsend.organisations.models import SettingType

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 5000
MAX_PROBLEMS_SHOWN = 200

REQUIRED_COLUMNS = (
    "URN",
    "EstablishmentName",
    "TypeOfEstablishment (name)",
    "PhaseOfEducation (name)",
    "LA (code)",
    "EstablishmentStatus (name)",
)
OPTIONAL_COLUMNS = (
    "EstablishmentNumber",
    "OpenDate",
    "CloseDate",
    "Street",
    "Town",
    "Postcode",
    "Easting",
    "Northing",
    "Trusts (name)",
)

S = SettingType
BY_PHASE = "by phase"  # a mainstream type: its phase of education decides
NOT_HELD = "not held"  # a type vsend knowingly leaves out (not a place a child is placed)

# The register's establishment types, and what each becomes in vsend. A type missing from
# this table is reported as unknown, never guessed.
ESTABLISHMENT_TYPES: dict[str, str] = {
    "Community school": BY_PHASE,
    "Voluntary aided school": BY_PHASE,
    "Voluntary controlled school": BY_PHASE,
    "Foundation school": BY_PHASE,
    "Academy converter": BY_PHASE,
    "Academy sponsor led": BY_PHASE,
    "Free schools": BY_PHASE,
    "Studio schools": BY_PHASE,
    "University technical college": BY_PHASE,
    "City technology college": BY_PHASE,
    "Other independent school": BY_PHASE,
    "Local authority nursery school": S.EARLY_YEARS,
    "Community special school": S.SPECIAL,
    "Foundation special school": S.SPECIAL,
    "Non-maintained special school": S.SPECIAL,
    "Academy special converter": S.SPECIAL,
    "Academy special sponsor led": S.SPECIAL,
    "Free schools special": S.SPECIAL,
    "Other independent special school": S.SPECIAL,
    "Special post 16 institution": S.POST_16,
    "Pupil referral unit": S.ALTERNATIVE_PROVISION,
    "Academy alternative provision converter": S.ALTERNATIVE_PROVISION,
    "Academy alternative provision sponsor led": S.ALTERNATIVE_PROVISION,
    "Free schools alternative provision": S.ALTERNATIVE_PROVISION,
    "Further education": S.POST_16,
    "Sixth form centres": S.POST_16,
    "Academy 16-19 converter": S.POST_16,
    "Academy 16 to 19 sponsor led": S.POST_16,
    "Free schools 16 to 19": S.POST_16,
    "Higher education institutions": NOT_HELD,
    "Welsh establishment": NOT_HELD,
    "British schools overseas": NOT_HELD,
    "Offshore schools": NOT_HELD,
    "Children's centre": NOT_HELD,
    "Children's centre linked site": NOT_HELD,
    "Secure units": NOT_HELD,
    "Academy secure 16 to 19": NOT_HELD,
    "Service children's education": NOT_HELD,
    "Online provider": NOT_HELD,
    "Miscellaneous": NOT_HELD,
    "Institution funded by other government department": NOT_HELD,
}
PHASES: dict[str, str] = {
    "Nursery": S.EARLY_YEARS,
    "Primary": S.PRIMARY,
    "Middle deemed primary": S.PRIMARY,
    "Secondary": S.SECONDARY,
    "Middle deemed secondary": S.SECONDARY,
    "All-through": S.ALL_THROUGH,
    "16 plus": S.POST_16,
}
STATUSES = {
    "Open": "open",
    "Open, but proposed to close": "open",
    "Proposed to open": "open",
    "Closed": "closed",
}

URN_FORMAT = re.compile(r"\d{6}")
LA_CODE_FORMAT = re.compile(r"\d{3}")
ESTABLISHMENT_NUMBER_FORMAT = re.compile(r"\d{4}")


class UnreadableFile(Exception):
    """The whole file is refused: the message says why, in the words shown to the user."""


@dataclass
class Extract:
    records: list[dict[str, Any]] = field(default_factory=list)
    other_authorities: int = 0
    not_held: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    rows: int = 0


def decode(data: bytes) -> str:
    """The file's text: UTF-8 if it is valid UTF-8, otherwise Windows-1252 as GIAS publishes."""
    if not data.strip():
        raise UnreadableFile("The selected file is empty")
    if data.startswith(b"PK\x03\x04"):
        raise UnreadableFile(
            "The selected file is a zip file or a spreadsheet, not a CSV file: open the zip "
            "file GIAS sends and choose the CSV file inside it"
        )
    if data.startswith(b"%PDF"):
        raise UnreadableFile("The selected file is a PDF, not a CSV file")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data:
        raise UnreadableFile(
            "The selected file is not in a text encoding vsend can read: save it as the CSV "
            "GIAS publishes (Windows-1252) or as UTF-8"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise UnreadableFile(
            "The selected file is not in a text encoding vsend can read: save it as the CSV "
            "GIAS publishes (Windows-1252) or as UTF-8"
        ) from None


def _date(value: str, column: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    for fmt in ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, fmt).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    raise ValueError(f"{column} '{value[:20]}' is not a date (DD-MM-YYYY)")


def _whole(value: str, column: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isascii() or not value.isdigit() or len(value) > 7:
        raise ValueError(f"{column} '{value[:20]}' is not a whole number of metres")
    return int(value)


def setting_type_for(establishment_type: str, phase: str) -> str:
    """vsend's setting type for a register type and phase; ValueError says why there is none."""
    kind = ESTABLISHMENT_TYPES.get(establishment_type)
    if kind is None:
        raise ValueError(f"establishment type '{establishment_type[:60]}' is not one vsend knows")
    if kind != BY_PHASE:
        return kind
    if phase not in PHASES:
        raise ValueError(
            f"phase of education '{phase[:40]}' does not say what kind of "
            f"{establishment_type.lower()} this is"
        )
    return PHASES[phase]


def _record(row: dict[str, str]) -> dict[str, Any]:
    def text(column: str, length: int) -> str:
        return " ".join((row.get(column) or "").split())[:length]

    name = text("EstablishmentName", 200)
    if not name:
        raise ValueError("it has no EstablishmentName")
    establishment_type = text("TypeOfEstablishment (name)", 100)
    phase = text("PhaseOfEducation (name)", 50)
    status_name = text("EstablishmentStatus (name)", 40)
    if status_name not in STATUSES:
        raise ValueError(f"establishment status '{status_name}' is not one vsend knows")
    opened_on = _date(row.get("OpenDate") or "", "OpenDate")
    closed_on = _date(row.get("CloseDate") or "", "CloseDate")
    number = text("EstablishmentNumber", 20)
    if number and not ESTABLISHMENT_NUMBER_FORMAT.fullmatch(number):
        raise ValueError(f"EstablishmentNumber '{number}' is not 4 digits")
    extra = {"establishment_number": number} if number else {}  # blank: left as vsend holds it
    return {
        "name": name,
        "setting_type": setting_type_for(establishment_type, phase),
        "establishment_type": establishment_type,
        "phase": phase,
        "status": STATUSES[status_name],
        "opened_on": opened_on.isoformat() if opened_on else None,
        "closed_on": closed_on.isoformat() if closed_on else None,
        "street": text("Street", 200),
        "town": text("Town", 100),
        "postcode": text("Postcode", 10).upper(),
        "easting": _whole(row.get("Easting") or "", "Easting"),
        "northing": _whole(row.get("Northing") or "", "Northing"),
        "trust": text("Trusts (name)", 200),
        **extra,
    }


def _reader(text: str) -> csv.DictReader:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        columns = reader.fieldnames or []
    except csv.Error:
        raise UnreadableFile("The selected file is not a CSV file vsend can read") from None
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise UnreadableFile(
            "The selected file is not a GIAS establishment extract: its first row has no "
            + ", ".join(f"'{c}'" for c in missing)
            + " column"
            + ("s" if len(missing) > 1 else "")
        )
    return reader


def read_extract(data: bytes, la_code: str) -> Extract:
    """The rows of `data` for the authority with `la_code`, and every row left out, by row."""
    if len(data) > MAX_BYTES:
        raise UnreadableFile(
            f"The selected file must be smaller than {MAX_BYTES // (1024 * 1024)} MB: download "
            "your authority's establishments from GIAS rather than all of England's"
        )
    reader = _reader(decode(data))
    out = Extract()
    seen: dict[str, int] = {}
    try:
        for number, row in enumerate(reader, start=2):  # row 1 is the header
            out.rows += 1
            if out.rows > MAX_ROWS:
                raise UnreadableFile(
                    f"The selected file has more than {MAX_ROWS:,} rows: download your "
                    "authority's establishments from GIAS rather than all of England's"
                )
            if None in row:
                out.problems.append(f"Row {number}: it has more cells than the header row")
                continue
            la = (row.get("LA (code)") or "").strip()
            if la != la_code:
                if not LA_CODE_FORMAT.fullmatch(la):
                    out.problems.append(f"Row {number}: LA (code) '{la[:10]}' is not 3 digits")
                else:
                    out.other_authorities += 1
                continue
            urn = (row.get("URN") or "").strip()
            if not urn:
                out.problems.append(f"Row {number}: it has no URN")
                continue
            if not URN_FORMAT.fullmatch(urn):
                out.problems.append(f"Row {number}: URN '{urn[:10]}' is not 6 digits")
                continue
            if urn in seen:
                out.problems.append(f"Row {number}: URN {urn} is also on row {seen[urn]}")
                continue
            seen[urn] = number
            type_name = " ".join((row.get("TypeOfEstablishment (name)") or "").split())
            if ESTABLISHMENT_TYPES.get(type_name) == NOT_HELD:
                out.not_held.append(f"Row {number}: URN {urn}, type '{type_name}'")
                continue
            try:
                record = _record(row)
            except ValueError as exc:
                out.problems.append(f"Row {number}: URN {urn}: {exc}")
                continue
            record["urn"] = urn
            record["row"] = number
            out.records.append(record)
    except csv.Error as exc:
        raise UnreadableFile(
            f"The selected file is not a CSV file vsend can read (row {reader.line_num}: {exc})"
        ) from None
    if out.rows == 0:
        raise UnreadableFile("The selected file has a header row but no establishments")
    return out
