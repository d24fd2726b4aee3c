"""Exporting and importing a child's portable record (ADR 21)."""

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_safe

from vsend.accounts.policy import AccessPolicy
from vsend.accounts.roles import Perm
from vsend.audit.models import Action
from vsend.audit.services import Actor, actor_from_request, record
from vsend.children import selectors as children
from vsend.children.services import Placement
from vsend.children.views import _require
from vsend.config.forms import error_list
from vsend.config.uploads import too_large
from vsend.organisations.selectors import settings_visible_to
from vsend.records import services
from vsend.records.forms import ImportForm
from vsend.records.selectors import child_document
from vsend.records.validation import MAX_BYTES, RecordInvalid, parse


def open_record(actor: Actor, pk: int) -> dict:
    """A child's portable record, if the user may take a copy; the copy is audited."""
    child = children.get_child_for(actor, pk, Perm.EXPORT_RECORD)
    record(actor, Action.VIEW, obj=child, summary="Portable record exported")
    return child_document(child)


@require_safe
def export_record(request: HttpRequest, pk: int) -> HttpResponse:
    doc = open_record(actor_from_request(request), pk)
    name = f"vsend-record-{doc['child']['last_name']}-{pk}.json".replace(" ", "-")
    response = HttpResponse(
        json.dumps(doc, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


TOO_LARGE = f"The selected file must be smaller than {MAX_BYTES // 1024 // 1024} MB"


@require_http_methods(["GET", "HEAD", "POST"])
def import_record(request: HttpRequest) -> HttpResponse:
    _require(request, Perm.CHANGE_CHILD)
    policy = AccessPolicy.for_request(request)
    settings_qs = settings_visible_to(request.user, Perm.CHANGE_CHILD)
    posted = request.method == "POST"
    form = ImportForm(
        request.POST if posted else None, request.FILES or None, settings_qs=settings_qs
    )
    problems: list[str] = []
    result = None
    if posted and too_large(request):
        form.is_valid()
        form.errors.pop("record", None)
        form.add_error("record", TOO_LARGE)
    elif posted and form.is_valid():
        data = form.cleaned_data
        upload = data["record"]
        if upload.size > MAX_BYTES:
            form.add_error("record", TOO_LARGE)
        elif policy.may_change_roll(data["setting"]):
            placement = (
                Placement(data["setting"], data["year"], None, data["started_on"])
                if data["year"] and data["started_on"]
                else None
            )
            actor = actor_from_request(request)
            try:
                doc = parse(upload.read(MAX_BYTES + 1))
                result = services.import_record(
                    actor=actor,
                    policy=policy,
                    doc=doc,
                    placement=placement,
                    setting=data["setting"],
                )
            except RecordInvalid as exc:
                problems = exc.problems
                form.add_error(
                    "record",
                    f"The file could not be imported: {problems[0]}"
                    if len(problems) == 1
                    else f"The file could not be imported: it has {len(problems)} problems, "
                    "listed at the top of the page",
                )
                record(
                    actor,
                    Action.ACCESS_REFUSED if "UPN" in " ".join(problems) else Action.VIEW,
                    object_type="record_import",
                    summary="Portable record refused",
                    detail={"problems": [p[:200] for p in problems[:10]]},
                )
    return render(
        request,
        "records/import.html",
        {
            "form": form,
            # Each problem with the file is an entry in the error summary, linked to the file.
            "errors": [{"text": p, "href": "#id_record"} for p in problems]
            or (error_list(form) if form.is_bound else []),
            "result": result,
        },
    )
