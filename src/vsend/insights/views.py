"""The setting and authority dashboards, their exports, and the governors' summary."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from vsend.audit.models import Action
from vsend.audit.services import actor_from_request, record
from vsend.exports.access import request_governors_pdf
from vsend.exports.views import progress_or_redirect
from vsend.insights import dashboards, exports
from vsend.insights import render as render_fast
from vsend.insights.charts import table_chart
from vsend.insights.forms import InsightFilterForm
from vsend.organisations.models import LocalAuthority, SchoolClass, Setting


def _setting_dashboard(
    request: HttpRequest, pk: int, *, anonymous: bool = False
) -> tuple[Any, Any, Setting]:
    setting = dashboards.setting_for(actor_from_request(request), pk)
    classes = SchoolClass.objects.filter(setting=setting)
    teacher = dashboards.teacher_classes(request.user, setting)
    if teacher is not None:
        classes = classes.filter(pk__in=teacher)
    anonymous = anonymous or not dashboards.setting_view(request.user, setting).identifiable
    form = InsightFilterForm(request.GET or None, classes=list(classes), anonymous=anonymous)
    dashboard = dashboards.setting_dashboard(
        request.user, setting, form.filters(), form.as_at(), anonymous=anonymous
    )
    return dashboard, form, setting


@require_safe
def setting_page(request: HttpRequest, pk: int) -> HttpResponse:
    dashboard, form, setting = _setting_dashboard(request, pk)
    record(
        actor_from_request(request),
        Action.VIEW,
        object_type="setting_insight",
        object_id=pk,
        authority_id=setting.authority_id,
        summary="Setting dashboard viewed",
    )
    return _render(request, dashboard, form, {"setting": setting})


@require_safe
def authority_page(request: HttpRequest) -> HttpResponse:
    dashboard, form, authority = _authority_dashboard(request)
    record(
        actor_from_request(request),
        Action.VIEW,
        object_type="authority_insight",
        object_id=authority.pk,
        authority_id=authority.pk,
        summary="Authority dashboard viewed",
    )
    from vsend.insights import compare

    sharing = compare.sharing(authority) if compare.may_choose(request.user, authority) else None
    return _render(request, dashboard, form, {"authority": authority, "sharing": sharing})


def _authority_dashboard(request: HttpRequest) -> tuple[Any, Any, LocalAuthority]:
    authority = dashboards.authority_for(actor_from_request(request), request.GET.get("authority"))
    settings_list = list(
        Setting.objects.filter(authority=authority).only("name", "locality_id").order_by("name")
    )
    anonymous = not dashboards.authority_identifiable(request.user, authority)
    form = InsightFilterForm(request.GET or None, settings=settings_list, anonymous=anonymous)
    chosen = form.cleaned_data.get("setting") if form.is_valid() else None
    benchmark = next((s for s in settings_list if s.pk == chosen), None)
    dashboard = dashboards.authority_dashboard(
        request.user, authority, form.filters(), form.as_at(), benchmark
    )
    return dashboard, form, authority


def _render(request: HttpRequest, dashboard: Any, form: Any, extra: dict[str, Any]) -> HttpResponse:
    query = request.GET.urlencode()
    return render(
        request,
        "insights/dashboard.html",
        {
            "dashboard": dashboard,
            "form": form,
            "charts": {t.key: table_chart(t) for t in dashboard.tables},
            "fast": render_fast,
            "query": query,
            **extra,
        },
    )


def _export(
    request: HttpRequest, dashboard: Any, fmt: str, name: str, audit: dict[str, Any]
) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    key = request.GET.get("table", "")
    tables = [t for t in dashboard.tables if not key or t.key == key]
    if not tables:
        raise Http404
    record(
        actor_from_request(request),
        Action.VIEW,
        summary=f"Dashboard exported as {fmt.upper()}",
        detail={"tables": [t.key for t in tables]},
        **audit,
    )
    filename = slugify(f"{name}-{dashboard.as_at.isoformat()}")
    if fmt == "csv":
        response = HttpResponse(
            exports.to_csv(dashboard, tables), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            exports.to_xlsx(dashboard, tables),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


@require_safe
def setting_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    dashboard, _, setting = _setting_dashboard(request, pk)
    return _export(
        request,
        dashboard,
        fmt,
        setting.name,
        {"object_type": "setting_insight", "object_id": pk, "authority_id": setting.authority_id},
    )


@require_safe
def authority_export(request: HttpRequest, fmt: str) -> HttpResponse:
    dashboard, _, authority = _authority_dashboard(request)
    return _export(
        request,
        dashboard,
        fmt,
        authority.name,
        {
            "object_type": "authority_insight",
            "object_id": authority.pk,
            "authority_id": authority.pk,
        },
    )


@require_safe
def governors_summary(request: HttpRequest, pk: int) -> HttpResponse:
    """Aggregates only, suppressed whoever asks: it is made to be shared. The PDF is made by a
    background job; the download is audited."""
    export = request_governors_pdf(actor_from_request(request), pk, dict(request.GET.lists()))
    return progress_or_redirect(request, export)
