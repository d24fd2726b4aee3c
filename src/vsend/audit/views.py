from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vsend.accounts.roles import Perm
from vsend.audit.models import Action
from vsend.audit.selectors import authority_trail, redactions
from vsend.audit.services import actor_from_request, record
from vsend.children.selectors import user_can


def audit_log(request: HttpRequest) -> HttpResponse:
    """The authority's audit trail, for its administrators."""
    user = request.user
    if not user_can(user, Perm.VIEW_AUDIT_LOG):
        record(actor_from_request(request), Action.ACCESS_REFUSED, summary="Audit trail refused")
        raise PermissionDenied
    events, authority_ids = authority_trail(user)
    action = request.GET.get("action", "")
    if action in Action.values:
        events = events.filter(action=action)
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/log.html",
        {
            "page": page,
            "hide": redactions(page.object_list, authority_ids),
            "actions": Action.choices,
            "action": action,
            "query": f"action={action}" if action in Action.values else "",
        },
    )
