"""The whole profile as a PDF (WeasyPrint), with the chart, and the child's name, the date and
page numbers on every page."""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from vsend.exports.pdf import tagged_pdf
from vsend.profiles.chart import profile_chart


def profile_pdf(view, request: HttpRequest | None = None) -> bytes:  # noqa: ANN001
    html = render_to_string(
        "profiles/pdf.html",
        {
            "view": view,
            "profile": view.profile,
            "chart": profile_chart(view),
            "now": timezone.localdate(),
        },
        request=request,
    )
    return tagged_pdf(html)
