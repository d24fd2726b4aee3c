"""The family's window: a home for each child, and who opened or changed the record.
Thin: the child is found through the family's own link (selectors), each view is audited."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from vsend.audit.models import Action
from vsend.audit.services import actor_from_request, record
from vsend.children.selectors import today
from vsend.family import access_log, selectors


@require_safe
def family_home(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    policy, child = selectors.family_child(actor, pk)
    record(actor, Action.VIEW, obj=child, summary="Family home viewed")
    return render(request, "family/home.html", {"w": selectors.window(policy, child, today())})


@require_safe
def family_access(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    policy, child = selectors.family_child(actor, pk)
    # Recorded first, so the page shows this visit too: the list is the trail as it stands.
    record(actor, Action.VIEW, obj=child, summary="Family read who opened the record")
    page, lines = access_log.log_page(child, request.user, request.GET.get("page"))
    return render(
        request,
        "family/access.html",
        {
            "child": child,
            "own": selectors.is_young_person(policy, child),
            "page": page,
            "lines": lines,
            "days": access_log.by_day(lines),
        },
    )
