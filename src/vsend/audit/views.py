from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vsend.accounts.models import Membership
from vsend.accounts.roles import Perm, Role
from vsend.audit.models import Action, AuditEvent
from vsend.audit.services import actor_from_request, record
from vsend.children.selectors import user_can
from vsend.organisations.selectors import authorities_visible_to


def audit_log(request: HttpRequest) -> HttpResponse:
    """The authority's audit trail, for its administrators."""
    user = request.user
    if not user_can(user, Perm.VIEW_AUDIT_LOG):
        record(actor_from_request(request), Action.ACCESS_REFUSED, summary="Audit trail refused")
        raise PermissionDenied
    events = AuditEvent.objects.all()
    if Role.PLATFORM_ADMIN not in user.roles:  # type: ignore[union-attr]
        authority_ids = list(
            authorities_visible_to(user, Perm.VIEW_AUDIT_LOG).values_list("pk", flat=True)
        )
        staff = Membership.objects.filter(authority_id__in=authority_ids).values("user_id")
        events = events.filter(Q(authority_id__in=authority_ids) | Q(actor_id__in=staff))
    action = request.GET.get("action", "")
    if action in Action.values:
        events = events.filter(action=action)
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/log.html",
        {
            "page": page,
            "actions": Action.choices,
            "action": action,
            "query": f"action={action}" if action in Action.values else "",
        },
    )
