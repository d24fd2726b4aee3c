"""A setting's register out, in the columns the import reads (so loading it back changes
nothing), as CSV or Excel; and a CTF for children leaving."""

import csv
import io
from datetime import date
from typing import Any

from django.utils import timezone

from vsend.audit.services import Actor, record_children_shown
from vsend.exchange import ctf
from vsend.exchange.columns import COLUMNS, EXPORT_HEADERS
from vsend.exchange.selectors.roll import leavers, leavers_register, on_roll
from vsend.organisations.models import Setting

RISKY_START = ("=", "+", "@")  # a spreadsheet would run these as formulas


def _cells(v: dict[str, Any], *, for_csv: bool) -> list[Any]:
    out: list[Any] = []
    for column in COLUMNS:
        value = v.get(column.field) or ""
        if column.field in ("date_of_birth", "sen_start") and value:
            day = date.fromisoformat(value)
            value = day.strftime("%d/%m/%Y") if for_csv else day
        if isinstance(value, str) and value.startswith(RISKY_START):
            value = "'" + value
        out.append(value)
    return out


def register_csv(rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_HEADERS)
    for v in rows:
        writer.writerow(_cells(v, for_csv=True))
    return buffer.getvalue().encode("utf-8-sig")


def register_xlsx(rows: list[dict[str, Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("SEN register")
    sheet.append(EXPORT_HEADERS)
    for v in rows:
        sheet.append(_cells(v, for_csv=False))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_register(*, actor: Actor, setting: Setting, fmt: str) -> tuple[bytes, str]:
    rows = on_roll(setting)
    record_children_shown(
        actor,
        [v["child"] for v in rows],
        object_type="register_export",
        summary=f"SEN register of {setting.name} downloaded ({fmt.upper()})",
        detail={"setting_id": setting.pk, "format": fmt},
    )
    stamp = timezone.localdate().isoformat()
    name = f"sen-register-{setting.urn}-{stamp}.{fmt}"
    return (register_csv(rows) if fmt == "csv" else register_xlsx(rows)), name


def export_ctf(*, actor: Actor, setting: Setting, child_ids: list[int]) -> tuple[bytes, str]:
    """The CTF and its file name; ctf.NoEstablishmentNumber, before anything is read, if the
    setting has no DfE establishment number to name it by."""
    if not setting.establishment_number:
        raise ctf.NoEstablishmentNumber(setting)
    children = [c for c in leavers(setting) if c.pk in set(child_ids)]
    values = leavers_register(setting, children)
    pupils = [values[c.pk] for c in children]
    record_children_shown(
        actor,
        children,
        object_type="ctf_export",
        summary=f"Common Transfer File made at {setting.name} for {len(children)} children",
        detail={"setting_id": setting.pk},
    )
    now = timezone.localtime()
    name = f"ctf-{setting.urn}-{now:%Y%m%d-%H%M}.xml"
    return ctf.write_ctf(setting, pupils, now=now), name
