"""The phase-transfer list (caseworkers and SENDCos) and the authority's transition figures
(suppressed for those who may not see the children), each with CSV and Excel downloads."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from vsend.accounts.policy import AccessPolicy, Disclosure
from vsend.accounts.roles import Perm
from vsend.audit.models import Action
from vsend.audit.services import actor_from_request, record, record_children_shown, refuse_role
from vsend.children import selectors as children
from vsend.insights import dashboards, suppression
from vsend.transitions import figures, phase, services

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(body: str | bytes, fmt: str, name: str) -> HttpResponse:
    if fmt == "csv":
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _phase(request: HttpRequest, fmt: str) -> HttpResponse:
    policy = AccessPolicy.for_request(request)
    actor = actor_from_request(request)
    if fmt not in ("html", "csv", "xlsx"):
        raise Http404("No such format")
    if not policy.can_anywhere(Perm.MANAGE_TRANSITION):
        refuse_role(actor, Perm.MANAGE_TRANSITION)
    today = timezone.localdate()
    found = phase.movers(policy, today)
    record_children_shown(
        actor,
        [m.child for m in found],
        object_type="phase_transfer",
        summary="Phase transfer list shown" if fmt == "html" else f"Phase transfer list ({fmt})",
    )
    if fmt == "csv":
        return _download(figures.table_csv(phase.COLUMNS, phase.rows(found)), fmt, "phase-transfer")
    if fmt == "xlsx":
        body = figures.table_xlsx("Phase transfer", phase.COLUMNS, phase.rows(found))
        return _download(body, fmt, "phase-transfer")
    year = phase.school_year_start(today) + 1
    return render(
        request,
        "transitions/phase_transfer.html",
        {"movers": found, "year": year, "today": today, "states": phase.STATES},
    )


@require_safe
def phase_transfer(request: HttpRequest) -> HttpResponse:
    return _phase(request, "html")


@require_safe
def phase_transfer_export(request: HttpRequest, fmt: str) -> HttpResponse:
    return _phase(request, fmt)


def _authority(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("html", "csv", "xlsx"):
        raise Http404("No such format")
    actor = actor_from_request(request)
    authority = dashboards.authority_for(actor, request.GET.get("authority"))
    policy = AccessPolicy.for_request(request)
    suppressed = policy.authority_disclosure(authority) is Disclosure.ANONYMOUS
    found = figures.figures(authority, suppressed=suppressed)
    record(
        actor,
        Action.VIEW,
        object_type="transition_figures",
        object_id=authority.pk,
        authority_id=authority.pk,
        summary="Transition figures viewed" if fmt == "html" else f"Transition figures ({fmt})",
    )
    if fmt == "csv":
        return _download(figures.to_csv(found), fmt, "transitions")
    if fmt == "xlsx":
        return _download(figures.to_xlsx(found), fmt, "transitions")
    return render(
        request,
        "transitions/authority.html",
        {"f": found, "columns": figures.COLUMNS, "note": suppression.NOTE},
    )


@require_safe
def authority_figures(request: HttpRequest) -> HttpResponse:
    return _authority(request, "html")


@require_safe
def authority_export(request: HttpRequest, fmt: str) -> HttpResponse:
    return _authority(request, fmt)


@require_POST
def record_shared(request: HttpRequest, child_pk: int) -> HttpResponse:
    """The sending side records that it sent the child's profile and plan to the receiving
    setting (a button on the phase-transfer list; a second press changes nothing)."""
    actor = actor_from_request(request)
    child = children.get_child_for(actor, child_pk, Perm.MANAGE_TRANSITION)
    receiving = phase.receiving_for(child.pk, timezone.localdate())
    if receiving is not None:
        services.record_shared(actor=actor, child=child, setting=receiving)
    return redirect("transitions:phase")
