"""The request pack as a tagged PDF (exports.pdf, ADR 18): the same data as the JSON pack
(pack.request_pack) laid out for the panel that reads it, with the current profile's chart."""

from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone

from vsend.config.jinja2 import format_date
from vsend.exports.pdf import tagged_pdf
from vsend.profiles.chart import profile_chart
from vsend.profiles.selectors import profile_view
from vsend.statutory.models import Case
from vsend.statutory.pack import request_pack
from vsend.statutory.selectors import finalised_profiles


def request_pack_pdf(case: Case) -> bytes:
    pack = request_pack(case)
    latest = finalised_profiles(case.child_id, 1)
    view = profile_view(latest[0]) if latest else None
    chart = profile_chart(view) if view else ""
    names = {d.domain.key: d.domain.name for d in view.domains} if view else {}
    html = render_to_string(
        "statutory/pack_pdf.html",
        {
            "case": case,
            "child": case.child,
            "pack": pack,
            "chart": chart,
            "now": timezone.localdate(),
            "day": _day,
            "area": lambda key: names.get(key, str(key).replace("_", " ").capitalize()),
        },
    )
    return tagged_pdf(html)


def _day(iso: str | None) -> str:
    return format_date(date.fromisoformat(iso)) if iso else ""
