"""Common Transfer Files (CTF): the DfE's XML for a pupil's record moving between schools.

Structure read and written (see ADR 24 for the sources):

    CTfile
      Header: DocumentName, CTFversion, DateTime, DocumentQualifier, SupplierID,
              SourceSchool (LEA, Estab, URN, SchoolName, AcademicYear), DestSchool (LEA, Estab)
      CTFpupilData
        Pupil: UPN, Surname, Forename, DOB, Sex (Gender in older files)
          BasicDetails: PreferredForename, NCyearActual
          SENhistory
            SEN: StartDate, SENprovision (N, K or E)
            SENneeds / SENneed: NeedStartDate, NeedEndDate, SENtypeRank, SENtype

Written: `CTFversion` is the academic year the file is made in ("23.0" for 2023/24, as the
DfE's own CTF writers give it), the same year as `AcademicYear`; `DocumentQualifier` is
`partial` (only core details and SEN are carried); the source school is named by its LA code
and 4-digit DfE establishment number; an unknown destination is `XXX`/`XXXX`. Read: needs
ranked 1 and 2 are kept; a real file may rank needs up to 99, and those ranked 3 or more are
left out with a note, not a problem.

Files are parsed with defusedxml: a document type declaration, entities and external
references are refused before anything is read, so no entity expansion or outside fetch can
happen.
"""

from datetime import date
from typing import Any
from xml.etree.ElementTree import Element, ParseError, SubElement, tostring  # noqa: S405

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from vsend.children.census import NeedType
from vsend.children.validators import normalise_upn
from vsend.exchange import columns
from vsend.exchange.reading import MAX_BYTES, MAX_ROWS, UnreadableFile

UNKNOWN_LA, UNKNOWN_ESTAB = "XXX", "XXXX"  # the destination is not known (DfE S2S guidance)
DOCUMENT_QUALIFIER = "partial"  # core details and SEN only, not the whole pupil record
HIGHEST_RANK = 99  # SENtypeRank in real files; vsend keeps ranks 1 and 2


class NoEstablishmentNumber(Exception):
    """The setting has no DfE establishment number, so no CTF can name it as the source."""

    def __init__(self, setting: Any) -> None:
        super().__init__(
            f"vsend does not hold {setting.name}'s DfE establishment number, which a Common "
            "Transfer File must give, so no file has been made: add the 4-digit establishment "
            "number on the setting's page, or load the authority's settings from GIAS"
        )


def academic_year(now: Any) -> int:
    """The year the academic year began (it starts in September)."""
    return int(now.year if now.month >= 9 else now.year - 1)


def ctf_version(year: int) -> str:
    """CTFversion for an academic year: "23.0" for the year beginning September 2023."""
    return f"{year % 100}.0"


def _text(node: Element | None, name: str) -> str:
    found = node.find(name) if node is not None else None
    return (found.text or "").strip()[:100] if found is not None else ""


def _parse(data: bytes) -> Element:
    if len(data) > MAX_BYTES:
        raise UnreadableFile(
            f"The selected file must be smaller than {MAX_BYTES // (1024 * 1024)} MB"
        )
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise UnreadableFile(
            "The selected file declares a document type or entities, which a Common Transfer "
            "File never does, so vsend has not read it"
        ) from None
    except (ParseError, ValueError, UnicodeError):
        raise UnreadableFile(
            "The selected file is not complete XML: it may have been cut short; ask the "
            "sending school for the file again"
        ) from None
    if root.tag != "CTfile":
        raise UnreadableFile("The selected file is XML but not a Common Transfer File")
    return root


def _when(value: str, where: str, problems: list[str], today: date) -> str | None:
    try:
        day = columns.a_date(value, today=today)
    except columns.BadValue as exc:
        problems.append(f"{where}: {exc}")
        return None
    return day.isoformat() if day else None


def _pupil(
    p: Element, number: int, today: date, problems: list[str], notes: list[str]
) -> dict[str, Any] | None:
    said = len(problems)
    where = f"Pupil {number}"
    record: dict[str, Any] = {"row": number}
    basic = p.find("BasicDetails")
    record["upn"] = normalise_upn(_text(p, "UPN"))
    record["last_name"] = _text(p, "Surname")
    record["first_name"] = _text(p, "Forename")
    if _text(basic, "PreferredForename"):  # absent: left as vsend holds it
        record["preferred_name"] = _text(basic, "PreferredForename")
    for name, label in (("last_name", "Surname"), ("first_name", "Forename")):
        if not record[name]:
            problems.append(f"{where}, {label}: it is empty")
    born = _when(_text(p, "DOB"), f"{where}, DOB", problems, today)
    if not born and len(problems) == said:
        problems.append(f"{where}, DOB: a date of birth is needed")
    record["date_of_birth"] = born or ""
    try:
        record["sex"] = columns.sex(_text(p, "Sex") or _text(p, "Gender"))
    except columns.BadValue as exc:
        problems.append(f"{where}, Sex: {exc}")
    if _text(basic, "NCyearActual"):  # absent: left as vsend holds it
        try:
            record["year_group"] = columns.year_group(_text(basic, "NCyearActual"))
        except columns.BadValue as exc:
            problems.append(f"{where}, NCyearActual: {exc}")
    if record["upn"]:
        from django.core.exceptions import ValidationError

        from vsend.children.validators import validate_upn

        try:
            validate_upn(record["upn"])
        except ValidationError as exc:
            problems.append(f"{where}, UPN: {record['upn'][:13]}: {exc.messages[0]}")
    history: list[tuple[str | None, str]] = []
    needs: list[tuple[str, int, str | None, str | None]] = []
    sen = p.find("SENhistory")
    for entry in sen.findall("SEN") if sen is not None else []:
        start = _when(_text(entry, "StartDate"), f"{where}, SEN StartDate", problems, today)
        try:
            history.append((start, columns.provision(_text(entry, "SENprovision"))))
        except columns.BadValue as exc:
            problems.append(f"{where}, SENprovision: {exc}")
    need_parent = sen.find("SENneeds") if sen is not None else None
    if need_parent is None:
        need_parent = p.find("SENneeds")
    for n in need_parent.findall("SENneed") if need_parent is not None else []:
        ranked = _text(n, "SENtypeRank")
        rank = int(ranked) if ranked.isascii() and ranked.isdigit() else 0
        if not 1 <= rank <= HIGHEST_RANK:
            problems.append(
                f"{where}, SENneed: a need needs a SENtypeRank from 1 to {HIGHEST_RANK}"
            )
            continue
        if rank > 2:
            who = f"{record['first_name']} {record['last_name']}"
            kind = _text(n, "SENtype")[:10] or "no SENtype"
            notes.append(
                f"{where} ({who}): the need ranked {rank} ({kind}) "
                "is not loaded: vsend keeps the primary and secondary needs only"
            )
            continue
        try:
            code = columns.need(_text(n, "SENtype"))
        except columns.BadValue as exc:
            problems.append(f"{where}, SENneed: {exc}")
            continue
        if not code:
            problems.append(f"{where}, SENneed: a need needs a SENtype")
            continue
        start = _when(_text(n, "NeedStartDate"), f"{where}, NeedStartDate", problems, today)
        end = _when(_text(n, "NeedEndDate"), f"{where}, NeedEndDate", problems, today)
        needs.append((code, rank, start, end))
    history.sort(key=lambda h: h[0] or "")
    latest = history[-1] if history else (None, "N")
    record["sen_provision"] = latest[1]
    record["sen_start"] = latest[0]
    current = {rank: code for code, rank, _, end in needs if not end}
    record["primary_need"] = current.get(1, "")
    record["secondary_need"] = current.get(2, "")
    if "NSA" in current.values() and latest[1] != "K":
        problems.append(f"{where}, SENtype: NSA is used only with SEN provision K")
    record["sen_history"] = history
    record["sen_needs"] = sorted(needs, key=str)
    return record if len(problems) == said else None


def read_ctf(data: bytes, *, today: date) -> tuple[list[dict[str, Any]], list[str], list[str]]:
    """The pupils of a CTF as records, every problem by pupil, and notes (what is read but
    not loaded, such as needs ranked below secondary), in plain words."""
    root = _parse(data)
    pupils = root.find("CTFpupilData")
    if pupils is None or not len(pupils):
        raise UnreadableFile("The selected Common Transfer File has no pupils in it")
    records: list[dict[str, Any]] = []
    problems: list[str] = []
    notes: list[str] = []
    seen: dict[str, int] = {}
    for number, p in enumerate(pupils.findall("Pupil"), start=1):
        if number > MAX_ROWS:
            raise UnreadableFile(f"The selected file has more than {MAX_ROWS:,} pupils")
        r = _pupil(p, number, today, problems, notes)
        if r is None:
            continue
        if r["upn"] and r["upn"] in seen:
            problems.append(f"Pupil {number}, UPN: {r['upn']} is also pupil {seen[r['upn']]}")
            continue
        if r["upn"]:
            seen[r["upn"]] = number
        records.append(r)
    return records, problems, notes


def _add(parent: Element, name: str, value: Any) -> Element:
    node = SubElement(parent, name)
    if value not in (None, ""):
        node.text = str(value)
    return node


def write_ctf(setting: Any, pupils: list[dict[str, Any]], *, now: Any) -> bytes:
    """A CTF for these pupils (dicts as plan.current_values gives, with names), destination
    not known; NoEstablishmentNumber if the setting has no DfE establishment number."""
    if not setting.establishment_number:
        raise NoEstablishmentNumber(setting)
    year = academic_year(now)
    root = Element("CTfile")
    header = SubElement(root, "Header")
    _add(header, "DocumentName", "Common Transfer File")
    _add(header, "CTFversion", ctf_version(year))
    _add(header, "DateTime", now.replace(microsecond=0, tzinfo=None).isoformat())
    _add(header, "DocumentQualifier", DOCUMENT_QUALIFIER)
    _add(header, "SupplierID", "vsend")
    source = SubElement(header, "SourceSchool")
    _add(source, "LEA", setting.authority.code)
    _add(source, "Estab", setting.establishment_number)
    _add(source, "URN", setting.urn)
    _add(source, "SchoolName", setting.name)
    _add(source, "AcademicYear", year)
    dest = SubElement(header, "DestSchool")
    _add(dest, "LEA", UNKNOWN_LA)
    _add(dest, "Estab", UNKNOWN_ESTAB)
    data = SubElement(root, "CTFpupilData")
    for v in pupils:
        p = SubElement(data, "Pupil")
        if v.get("upn"):
            _add(p, "UPN", v["upn"])
        _add(p, "Surname", v["last_name"])
        _add(p, "Forename", v["first_name"])
        _add(p, "DOB", v["date_of_birth"])
        _add(p, "Sex", v["sex"])
        basic = SubElement(p, "BasicDetails")
        if v.get("preferred_name"):
            _add(basic, "PreferredForename", v["preferred_name"])
        if v.get("year_group"):
            _add(basic, "NCyearActual", v["year_group"])
        sen = SubElement(p, "SENhistory")
        for start, provision in v["sen_history"]:
            entry = SubElement(sen, "SEN")
            if start:
                _add(entry, "StartDate", start)
            _add(entry, "SENprovision", provision)
        if v["sen_needs"]:
            needs = SubElement(sen, "SENneeds")
            for code, rank, start, end in sorted(v["sen_needs"], key=lambda n: (n[1], str(n))):
                n = SubElement(needs, "SENneed")
                if start:
                    _add(n, "NeedStartDate", start)
                if end:
                    _add(n, "NeedEndDate", end)
                _add(n, "SENtypeRank", rank)
                _add(n, "SENtype", NeedType(code).value)
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        + tostring(root, encoding="utf-8").split(b"?>", 1)[-1].lstrip()
    )
