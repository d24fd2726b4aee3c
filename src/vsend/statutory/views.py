"""Pages of the statutory pathway: the request, the case page (staff and family), recording
steps and exceptions, the caseworker's worklist. Thin: forms in, services and selectors out."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from vsend.accounts.policy import AccessPolicy
from vsend.accounts.roles import Perm
from vsend.audit.models import Action
from vsend.audit.services import actor_from_request, record, record_children_shown
from vsend.children import selectors as children
from vsend.config.forms import error_list
from vsend.statutory import family, family_request, selectors, services
from vsend.statutory.forms import EndExceptionForm, ExceptionForm, RequestForm, StepForm
from vsend.statutory.models import Requester
from vsend.submissions.services import AlreadySubmitted, submit_once
from vsend.workflows.engine import next_steps
from vsend.workflows.pages import RecordPages

PAGES = RecordPages(
    key="case", object_type="statutory_case", form_opened="Statutory case form opened"
)
_shown = PAGES.shown
_record_page = PAGES.form_page


@require_http_methods(["GET", "HEAD", "POST"])
def request_assessment(request: HttpRequest, child_pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    child = children.get_child_for(actor, child_pk, Perm.REQUEST_ASSESSMENT)
    policy = AccessPolicy.for_request(request)
    open_case = child.statutory_cases.filter(kind="assessment", closed_on__isnull=True).first()
    if open_case is not None:
        return redirect("statutory:case", pk=open_case.pk)  # a second request goes to the first
    as_who = selectors.requester_for(policy, child.pk)
    if as_who is None:
        record(
            actor,
            Action.ACCESS_REFUSED,
            obj=child,
            summary="Not a setting, family or young person of this child",
        )
        raise PermissionDenied
    requester, setting = as_who
    if requester in (Requester.PARENT, Requester.YOUNG_PERSON):
        return family_request.handle(request, actor, child, requester)
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def make() -> str:
            case = services.request_assessment(
                actor=actor,
                child=child,
                requester=requester,
                reasons=data["reasons"],
                family_views=data["family_views"],
                child_views=data["child_views"],
                setting=setting,
            )
            return reverse("statutory:case", kwargs={"pk": case.pk})

        try:
            return redirect(submit_once(request, make))
        except AlreadySubmitted as done:
            return redirect(done.url)
        except services.OpenRequestExists as exc:
            return redirect("statutory:case", pk=exc.case.pk)
        except services.StatutoryError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    record(actor, Action.VIEW, obj=child, summary="Request for an EHC needs assessment page opened")
    return render(
        request,
        "statutory/request.html",
        {
            "child": child,
            "form": form,
            "requester": requester,
            "errors": error_list(form) if form.is_bound and form.errors else [],
        },
    )


@require_safe
def case_page(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    case = selectors.get_case_for(actor, pk, Perm.VIEW_CASE)
    policy = AccessPolicy.for_request(request)
    today = timezone.localdate()
    milestones = selectors.clock(case, today)
    _shown(actor, case, "Statutory case opened")
    context: dict[str, Any] = {
        "case": case,
        "child": case.child,
        "milestones": milestones,
        "today": today,
        "documents": list(case.documents.defer("content")),
        "appeals": list(case.appeals.all()),
        "exceptions": list(case.exceptions.all()),
        "workflow": services.workflow_of(case),
        "headline": family.headline(case, milestones, today),
        "happened": family.happened(case, milestones),
        "coming": family.coming(case, milestones, today),
        "plan": getattr(case, "issued_plan", None) if case.kind == "assessment" else case.plan,
    }
    context |= {
        "can_manage": policy.can(Perm.MANAGE_CASE, case.child_id),
        "can_prepare": policy.can(Perm.PREPARE_REVIEW, case.child_id),
        # The family withdraws any request for their child, a setting only its own.
        "can_withdraw": case.kind == "assessment"
        and case.is_open
        and (
            policy.can(Perm.MANAGE_CASE, case.child_id)
            or (
                policy.can(Perm.REQUEST_ASSESSMENT, case.child_id)
                and (case.requester == "setting" or selectors.is_family_view(policy, case.child_id))
            )
        ),
        "next": next_steps(milestones),
    }
    if case.kind == "annual_review" and case.plan is not None:
        from vsend.statutory.thread import plan_thread

        context["thread"] = plan_thread(case.plan, case.started_on, today)
        context["adulthood_due"] = services.adulthood_applies(case)
        context["adulthood"] = getattr(case, "adulthood", None)
    if selectors.is_family_view(policy, case.child_id):
        return render(request, "statutory/family_case.html", context)
    return render(request, "statutory/case.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def record_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    actor = actor_from_request(request)
    case = selectors.get_case_for(actor, pk, Perm.VIEW_CASE)
    wf = services.workflow_of(case)
    try:
        spec = wf.step(step)
    except KeyError:
        from django.http import Http404

        raise Http404("No such step") from None
    # The setting records its own steps of an annual review (invitations, meeting, report).
    setting_step = case.kind == "annual_review" and spec.who == "setting"
    selectors.require_on_case(
        actor, case, Perm.PREPARE_REVIEW if setting_step else Perm.MANAGE_CASE
    )
    form = StepForm(spec, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_step(
                actor=actor,
                case=case,
                step=step,
                item=data.get("item", ""),
                asked_on=data.get("asked_on"),
                done_on=data.get("done_on"),
                outcome=data.get("outcome", ""),
                note=data.get("note", ""),
            )
        except services.StatutoryError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect("statutory:case", pk=case.pk)
    return _record_page(request, case, "statutory/record_step.html", form, step=spec)


@require_http_methods(["GET", "HEAD", "POST"])
def record_exception(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    case = selectors.get_case_for(actor, pk, Perm.MANAGE_CASE)
    form = ExceptionForm(services.workflow_of(case), request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def make() -> str:
            services.record_exception(
                actor=actor,
                case=case,
                kind=data["kind"],
                starts_on=data["starts_on"],
                ends_on=data.get("ends_on"),
                note=data["note"],
            )
            return reverse("statutory:case", kwargs={"pk": case.pk})

        try:
            return redirect(submit_once(request, make))
        except AlreadySubmitted as done:
            return redirect(done.url)
        except services.StatutoryError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return _record_page(request, case, "statutory/exception.html", form)


@require_http_methods(["GET", "HEAD", "POST"])
def end_exception(request: HttpRequest, pk: int, exception_pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    case = selectors.get_case_for(actor, pk, Perm.MANAGE_CASE)
    exception = case.exceptions.filter(pk=exception_pk).first()
    if exception is None:
        from django.http import Http404

        raise Http404("No exception found")
    form = EndExceptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_exception(
                actor=actor, exception=exception, ends_on=form.cleaned_data["ends_on"]
            )
        except services.StatutoryError as exc:
            form.add_error("ends_on", exc.message)
        else:
            return redirect("statutory:case", pk=case.pk)
    return _record_page(request, case, "statutory/end_exception.html", form, exception=exception)


@require_safe
def worklist(request: HttpRequest) -> HttpResponse:
    policy = AccessPolicy.for_request(request)
    actor = actor_from_request(request)
    if not policy.can_anywhere(Perm.MANAGE_CASE):
        record(
            actor,
            Action.ACCESS_REFUSED,
            summary="The user's role does not allow this",
            detail={"permission": Perm.MANAGE_CASE},
        )
        raise PermissionDenied
    today = timezone.localdate()
    work = selectors.worklist(policy, today)
    shown = {c.child.pk: c.child for c in work.cases}
    shown.update({m.child.pk: m.child for m in work.phase_transfer})
    record_children_shown(
        actor,
        list(shown.values()),
        object_type="statutory_worklist",
        summary="Statutory deadlines worklist shown",
    )
    return render(
        request,
        "statutory/worklist.html",
        {
            "work": work,
            "today": today,
            "sees_phase_list": policy.can_anywhere(Perm.MANAGE_TRANSITION),
        },
    )


@require_safe
def request_pack(request: HttpRequest, pk: int) -> HttpResponse:
    from django.http import JsonResponse

    from vsend.statutory.pack import request_pack as build

    actor = actor_from_request(request)
    case = selectors.get_case_for(actor, pk, Perm.VIEW_CASE)
    if case.kind != "assessment":
        from django.http import Http404

        raise Http404("Only a request has a pack")
    _shown(actor, case, "Request pack downloaded")
    response = JsonResponse(build(case), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="request-pack-{case.pk}.json"'
    return response


@require_safe
def request_pack_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from django.http import Http404

    from vsend.statutory.pack_pdf import request_pack_pdf as build

    actor = actor_from_request(request)
    case = selectors.get_case_for(actor, pk, Perm.VIEW_CASE)
    if case.kind != "assessment":
        raise Http404("Only a request has a pack")
    _shown(actor, case, "Request pack downloaded (PDF)")
    response = HttpResponse(build(case), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="request-pack-{case.pk}.pdf"'
    return response
