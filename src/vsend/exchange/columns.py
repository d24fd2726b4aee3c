"""The register's columns: what vsend reads, the names school MIS exports give them, and how
each cell becomes a value (census codes as the DfE defines them).

Arbor, SIMS, Bromcom and ScholarPack name the same things differently ("Legal Surname",
"Surname", "Last Name"; "Reg Group", "Registration Group", "Form"; "SEN Status", "SEN
Provision"...). Headers are compared with case, spaces and punctuation taken out; a header
that matches none is offered to the user, never guessed.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime

from vsend.children.census import NeedType, SENProvision
from vsend.children.validators import normalise_upn


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # the header vsend's own export writes (and reads back)
    required: bool
    names: tuple[str, ...]  # other headers MIS exports use, normalised


COLUMNS: tuple[Column, ...] = (
    Column("upn", "UPN", False, ("upn", "uniquepupilnumber", "pupilupn")),
    Column(
        "last_name",
        "Legal surname",
        True,
        ("legalsurname", "surname", "lastname", "familyname", "legallastname"),
    ),
    Column(
        "first_name",
        "Legal forename",
        True,
        ("legalforename", "forename", "firstname", "legalfirstname", "givenname"),
    ),
    Column(
        "preferred_name",
        "Preferred forename",
        False,
        ("preferredforename", "preferredfirstname", "preferredname", "knownas", "chosenname"),
    ),
    Column("date_of_birth", "Date of birth", True, ("dateofbirth", "dob", "birthdate")),
    Column("sex", "Sex", True, ("sex", "gender", "legalsex")),
    Column(
        "year_group",
        "Year group",
        False,
        ("yeargroup", "year", "ncyear", "ncyearactual", "curriculumyear", "yr"),
    ),
    Column(
        "reg_group",
        "Registration group",
        False,
        (
            "registrationgroup",
            "reggroup",
            "regform",
            "form",
            "formgroup",
            "tutorgroup",
            "class",
            "registrationclass",
            "registrationform",
        ),
    ),
    Column(
        "sen_provision",
        "SEN provision",
        False,
        ("senprovision", "senstatus", "senstage", "sen", "senprovisioncode", "sencode"),
    ),
    Column(
        "primary_need",
        "Primary need",
        False,
        (
            "primaryneed",
            "primarysenneed",
            "primarysentype",
            "sentype1",
            "senneed1",
            "senneedrank1",
            "senneedtype1",
            "needtype1",
            "senprimaryneed",
            "primarytypeofneed",
        ),
    ),
    Column(
        "secondary_need",
        "Secondary need",
        False,
        (
            "secondaryneed",
            "secondarysenneed",
            "secondarysentype",
            "sentype2",
            "senneed2",
            "senneedrank2",
            "senneedtype2",
            "needtype2",
            "sensecondaryneed",
            "secondarytypeofneed",
        ),
    ),
    Column(
        "sen_start",
        "SEN start date",
        False,
        ("senstartdate", "senprovisionstartdate", "sensupportstartdate", "senstart"),
    ),
)
BY_FIELD = {c.field: c for c in COLUMNS}
REQUIRED = tuple(c.field for c in COLUMNS if c.required)
EXPORT_HEADERS = [c.header for c in COLUMNS]


def normalise(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.casefold())


def recognise(headers: list[str]) -> dict[str, str]:
    """field -> header for every column vsend recognises (each header used once)."""
    by_name: dict[str, str] = {}
    for header in headers:
        by_name.setdefault(normalise(header), header)
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for column in COLUMNS:
        for name in (normalise(column.header), *column.names):
            found = by_name.get(name)
            if found is not None and found not in used:
                mapping[column.field] = found
                used.add(found)
                break
    return mapping


class BadValue(ValueError):
    """A cell vsend cannot read: the message says why, in words shown to the user."""


PROVISION_WORDS = {
    "n": SENProvision.NONE,
    "": SENProvision.NONE,
    "none": SENProvision.NONE,
    "nosen": SENProvision.NONE,
    "nospecialeducationalneed": SENProvision.NONE,
    "k": SENProvision.SEN_SUPPORT,
    "sensupport": SENProvision.SEN_SUPPORT,
    "e": SENProvision.EHC_PLAN,
    "ehcplan": SENProvision.EHC_PLAN,
    "ehcp": SENProvision.EHC_PLAN,
    "educationhealthandcareplan": SENProvision.EHC_PLAN,
}
NEED_WORDS = {normalise(t.value): t.value for t in NeedType} | {
    normalise(t.label): t.value for t in NeedType
}
NEED_WORDS |= {
    "autisticspectrumdisorder": "ASD",
    "autism": "ASD",
    "downsyndrome": "DS",
    "downssyndrome": "DS",
    "otherdifficultydisability": "OTH",
}
SEX_WORDS = {"m": "M", "male": "M", "f": "F", "female": "F"}
YEAR_CODES = {"n1": "N1", "n2": "N2", "r": "R", "rec": "R", "reception": "R"}


def provision(value: str) -> str:
    key = normalise(value.split(" - ")[0]) if " - " in value else normalise(value)
    if key not in PROVISION_WORDS:
        raise BadValue(f"'{value[:30]}' is not an SEN provision: use N, K or E")
    return str(PROVISION_WORDS[key])


def need(value: str) -> str:
    if not value.strip():
        return ""
    head = value.split(" - ")[0] if " - " in value else value
    code = NEED_WORDS.get(normalise(head)) or NEED_WORDS.get(normalise(value))
    if code is None:
        raise BadValue(
            f"'{value[:30]}' is not a census type of need (for example SLCN, ASD, SEMH or DS)"
        )
    return code


def sex(value: str) -> str:
    code = SEX_WORDS.get(normalise(value))
    if code is None:
        raise BadValue(f"'{value[:20]}' is not a sex vsend records: use M or F")
    return code


def year_group(value: str) -> str:
    key = normalise(value)
    if not key:
        return ""
    if key in YEAR_CODES:
        return YEAR_CODES[key]
    digits = key.removeprefix("year").removeprefix("yr").removeprefix("y")
    if digits.isdigit() and 1 <= int(digits) <= 14:
        return str(int(digits))
    raise BadValue(f"'{value[:20]}' is not a year group (N1, N2, R or 1 to 14)")


DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y")


def a_date(value: str, *, today: date, not_after_today: bool = True) -> date | None:
    value = value.strip()
    if not value:
        return None
    if len(value) > 10 and value[10] in "T ":  # an Excel date read as a date and time
        value = value[:10]
    day = _quick_date(value)
    if day is not None:
        return _check_day(day, value, today, not_after_today)
    for fmt in DATE_FORMATS:
        try:
            day = datetime.strptime(value, fmt).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
        return _check_day(day, value, today, not_after_today)
    raise BadValue(f"'{value[:20]}' is not a date (write it as 21/03/2016)")


def _quick_date(value: str) -> date | None:
    """DD/MM/YYYY or YYYY-MM-DD without strptime (a register has thousands of dates)."""
    try:
        if len(value) == 10 and value[2] == "/" and value[5] == "/":
            return date(int(value[6:]), int(value[3:5]), int(value[:2]))
        if len(value) == 10 and value[4] == "-" and value[7] == "-":
            return date(int(value[:4]), int(value[5:7]), int(value[8:]))
    except ValueError:
        return None
    return None


def _check_day(day: date, value: str, today: date, not_after_today: bool) -> date:
    if day.year < 1900:
        raise BadValue(f"'{value}' is too long ago to be right")
    if not_after_today and day > today:
        raise BadValue(f"{day.day} {day:%B %Y} is in the future")
    return day


def upn(value: str) -> str:
    return normalise_upn(value.strip())
