"""The child's costed provision map as PDF (a background job, like the other PDFs) and Excel;
the setting's map and the authority's tables as Excel."""

import io
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook
from weasyprint import HTML

from vsend.audit.models import Action, Channel
from vsend.audit.services import Actor, record
from vsend.children.models import Child
from vsend.exports import services as export_services
from vsend.exports.models import Export, Kind
from vsend.insights.exports import safe_cell
from vsend.insights.tables import Table
from vsend.insights.terms import parse_term
from vsend.provision import selectors
from vsend.provision.maps import (
    ChildMap,
    SettingMap,
    child_map,
    domain_names,
    money,
    tenth,
    three_terms,
)


def map_rows(cmap: ChildMap) -> tuple[list[str], list[list[Any]]]:
    """The child's map as one table: per provision, each term's sessions, hours and cost."""
    columns = ["Provision", "Group", "Delivered by", "Areas"]
    for t in cmap.terms:
        columns += [
            f"{t.label} sessions received",
            f"{t.label} sessions missed",
            f"{t.label} hours",
            f"{t.label} cost (£)",
        ]
    columns += ["Total hours", "Total cost (£)"]
    names = domain_names()
    rows = []
    for r in cmap.rows:
        row: list[Any] = [
            r.provision,
            r.group,
            r.staff_role,
            ", ".join(names.get(a, a) for a in r.areas),
        ]
        for c in r.cells:
            row += [
                float(tenth(c.received)),
                float(tenth(c.missed)),
                float(tenth(c.hours)),
                float(money(c.cost)),
            ]
        row += [float(tenth(r.total.hours)), float(money(r.total.cost))]
        rows.append(row)
    total: list[Any] = ["Total", "", "", ""]
    for c in cmap.totals:
        total += [
            float(tenth(c.received)),
            float(tenth(c.missed)),
            float(tenth(c.hours)),
            float(money(c.cost)),
        ]
    total += [float(tenth(cmap.total.hours)), float(money(cmap.total.cost))]
    rows.append(total)
    return columns, rows


def workbook(header: list[list[Any]], tables: list[Table]) -> bytes:
    book = Workbook()
    about = book.active
    about.title = "About"
    for row in header:
        about.append([safe_cell(v) for v in row])
    for table in tables:
        sheet = book.create_sheet(table.key[:31])
        sheet.append([safe_cell(table.title)])
        sheet.append([safe_cell(c) for c in table.columns])
        for row in table.rows:
            sheet.append([safe_cell(v) for v in row])
        if table.description:
            sheet.append([])
            sheet.append([safe_cell(table.description)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def child_map_xlsx(child: Child, cmap: ChildMap) -> bytes:
    columns, rows = map_rows(cmap)
    terms = ", ".join(t.label for t in cmap.terms)
    return workbook(
        [
            [f"Costed provision map: {child.full_name}"],
            [f"Born {child.date_of_birth.isoformat()}; terms {terms}"],
            [
                "The cost of a group is shared by the children in it; missed sessions are not counted."
            ],
            ["Confidential: special category personal data"],
        ],
        [Table("provision_map", "Costed provision map", columns, rows)],
    )


def child_map_pdf(child: Child, cmap: ChildMap) -> bytes:
    html = render_to_string(
        "provision/map_pdf.html",
        {"child": child, "map": cmap, "names": domain_names(), "now": timezone.localdate()},
    )
    return HTML(string=html).write_pdf()


def setting_map_xlsx(setting: Any, smap: SettingMap) -> bytes:
    names = domain_names()
    labels = [t.label for t in smap.terms]
    by_provision = Table(
        "by_provision",
        "By provision",
        [
            "Provision",
            *[f"{x} children" for x in labels],
            *[f"{x} hours" for x in labels],
            *[f"{x} cost (£)" for x in labels],
        ],
        [
            [
                r["provision"].name if r["provision"] else "",
                *r["children"],
                *[float(tenth(c.hours)) for c in r["cells"]],
                *[float(money(c.cost)) for c in r["cells"]],
            ]
            for r in smap.by_provision
        ],
    )
    by_area = Table(
        "by_area",
        "Spend by area of need beside need by area",
        ["Area", *[f"{x} cost (£)" for x in labels], "Children profiled", "At significant need"],
        [
            [
                names.get(r["area"], r["area"]),
                *[float(money(c.cost)) for c in r["cells"]],
                *smap.need.get(r["area"], (0, 0)),
            ]
            for r in smap.by_area
        ],
    )
    by_role = Table(
        "by_staff",
        "By staff role",
        ["Staff role", *[f"{x} hours" for x in labels], *[f"{x} cost (£)" for x in labels]],
        [
            [
                r["role"],
                *[float(tenth(c.hours)) for c in r["cells"]],
                *[float(money(c.cost)) for c in r["cells"]],
            ]
            for r in smap.by_role
        ],
    )
    budget = float(smap.budget.amount) if smap.budget else None
    return workbook(
        [
            [f"Provision map: {setting.name}"],
            [f"Terms {', '.join(labels)}"],
            [
                f"Notional SEN budget {smap.budget_year} to {smap.budget_year + 1}: "
                + (str(budget) if budget is not None else "not entered")
            ],
            [f"Spend in that year: {float(money(smap.year_spend))}"],
        ],
        [by_provision, by_area, by_role],
    )


# The PDF job


def request_child_map_pdf(actor: Actor, pk: int, term_slug: str) -> Export:
    child = selectors.child_for_map(actor, pk)
    term = parse_term(term_slug) or three_terms()[1]
    return export_services.request_export(
        user=actor.user,
        kind=Kind.PROVISION_MAP_PDF,
        object_id=child.pk,
        filename=f"provision-map-{child.pk}-{term.slug}.pdf",
        version=(child.version, timezone.now().isoformat(timespec="minutes")),
        params={"term": term.slug},
    )


def build_child_map_pdf(export: Export) -> bytes:
    actor = Actor(user=export.requested_by, channel=Channel.SYSTEM, path="job:exports.build")
    child = selectors.child_for_map(actor, int(export.object_id))
    term = parse_term(str(export.params.get("term", ""))) or three_terms()[1]
    return child_map_pdf(child, child_map(child.pk, three_terms(term)))


def open_child_map_pdf(actor: Actor, export: Export) -> None:
    child = selectors.child_for_map(actor, int(export.object_id))
    record(actor, Action.VIEW, obj=child, summary="Costed provision map PDF downloaded")
