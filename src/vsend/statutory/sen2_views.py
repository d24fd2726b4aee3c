"""The SEN2 return page (its validation report) and the return's XML file, for the authority's
administrators: both name every child in it, so both are audited as lists of children."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from vsend.accounts.policy import AccessPolicy
from vsend.accounts.roles import Perm
from vsend.audit.models import Action
from vsend.audit.services import actor_from_request, record, record_children_shown
from vsend.organisations.models import LocalAuthority
from vsend.statutory import sen2

EARLIEST_YEAR = 2024


def _authority(request: HttpRequest) -> LocalAuthority:
    policy = AccessPolicy.for_request(request)
    if not policy.can_anywhere(Perm.MAKE_SEN2):
        record(
            actor_from_request(request),
            Action.ACCESS_REFUSED,
            summary="The user's role does not allow this",
            detail={"permission": Perm.MAKE_SEN2},
        )
        raise PermissionDenied
    ids = policy.authority_ids(Perm.MAKE_SEN2)
    qs = LocalAuthority.objects.order_by("name")
    if ids is not None:
        qs = qs.filter(pk__in=sorted(ids))
    wanted = request.GET.get("authority", "")
    if wanted.isdigit() and len(wanted) < 12:
        qs = qs.filter(pk=int(wanted))
    authority = qs.first()
    if authority is None:
        raise Http404("No authority found")
    return authority


def _year(request: HttpRequest, year: int | None = None) -> int:
    today = timezone.localdate()
    default = today.year + 1 if today > sen2.reference_date(today.year) else today.year
    if year is None:
        raw = request.GET.get("year", "")
        year = int(raw) if raw.isdigit() and len(raw) == 4 else default
    if not EARLIEST_YEAR <= year <= default:
        raise Http404("No return for that year")
    return year


@require_safe
def sen2_report(request: HttpRequest) -> HttpResponse:
    authority = _authority(request)
    year = _year(request)
    result = sen2.build_return(authority, year)
    record_children_shown(
        actor_from_request(request),
        result.children,
        object_type="sen2_return",
        summary=f"SEN2 {year} validation report shown",
    )
    return render(
        request,
        "statutory/sen2.html",
        {
            "authority": authority,
            "year": year,
            "result": result,
            "not_held": sen2.NOT_HELD,
            "years": list(range(EARLIEST_YEAR, _year(request) + 1)),
        },
    )


@require_safe
def sen2_xml(request: HttpRequest, year: int) -> HttpResponse:
    authority = _authority(request)
    year = _year(request, year)
    result = sen2.build_return(authority, year)
    record_children_shown(
        actor_from_request(request),
        result.children,
        object_type="sen2_return",
        summary=f"SEN2 {year} return downloaded",
    )
    response = HttpResponse(result.xml(), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="sen2-{authority.code}-{year}.xml"'
    return response


@require_safe
def timeliness_page(request: HttpRequest) -> HttpResponse:
    """The authority's timeliness for the last finished term, for everyone who opens its
    dashboard, through the disclosure control (ADR 11): never a child, never a small count."""
    from vsend.insights.published import as_at_term_end
    from vsend.insights.suppression import NOTE
    from vsend.insights.terms import term_containing
    from vsend.statutory.timeliness_tables import published_timeliness

    policy = AccessPolicy.for_request(request)
    actor = actor_from_request(request)
    ids = policy.authority_ids(Perm.VIEW_AUTHORITY)
    qs = LocalAuthority.objects.order_by("name")
    if ids is not None:
        qs = qs.filter(pk__in=sorted(ids))
    authority = qs.first()
    if authority is None or not policy.may_view_authority(authority):
        record(
            actor,
            Action.ACCESS_REFUSED,
            summary="The user's role does not allow this",
            detail={"permission": Perm.VIEW_AUTHORITY},
        )
        raise PermissionDenied
    ends = as_at_term_end(timezone.localdate())
    term = term_containing(ends)
    published = published_timeliness(authority, term)
    record(
        actor,
        Action.VIEW,
        object_type="statutory_timeliness",
        authority_id=authority.pk,
        summary=f"Statutory timeliness shown for {term.label}",
    )
    return render(
        request,
        "statutory/timeliness.html",
        {"authority": authority, "tables": published.tables, "note": NOTE, "term": term},
    )
