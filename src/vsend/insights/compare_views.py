"""Cross-authority benchmarking: the opt-in, and the view comparing sharing authorities."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from vsend.audit.models import Action
from vsend.audit.services import actor_from_request, record
from vsend.insights import compare
from vsend.insights.charts import table_chart
from vsend.insights.dashboards import domain_names
from vsend.insights.suppression import NOTE


@require_POST
def sharing(request: HttpRequest, pk: int) -> HttpResponse:
    """An LA administrator shares (or stops sharing) the authority's published figures."""
    from vsend.organisations.admin_views import managed_authority

    authority = managed_authority(request, pk)  # 403 without the permission, else 404
    share = request.POST.get("share") == "yes"
    compare.set_sharing(actor=actor_from_request(request), authority=authority, share=share)
    return redirect(reverse("insights:authority") + f"?authority={authority.pk}")


@require_safe
def compare_page(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    if not compare.may_compare(request.user):
        record(
            actor,
            Action.ACCESS_REFUSED,
            object_type="authority_comparison",
            summary="Cross-authority comparison refused",
        )
        raise PermissionDenied
    as_at, tables = compare.comparison(domain_names())
    record(
        actor,
        Action.VIEW,
        object_type="authority_comparison",
        summary="Cross-authority comparison viewed",
        detail={"authorities": len(tables[0].rows)},
    )
    return render(
        request,
        "insights/compare.html",
        {
            "as_at": as_at,
            "tables": tables,
            "note": NOTE,
            "charts": {t.key: table_chart(t) for t in tables},
        },
    )
