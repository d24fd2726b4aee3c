"""Pages for letters, mediation and tribunal, and EHC plans."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from vsend.accounts.roles import Perm
from vsend.audit.models import Action
from vsend.audit.services import Actor, actor_from_request, english, record
from vsend.config.forms import error_list
from vsend.config.uploads import too_large
from vsend.organisations.models import Setting
from vsend.statutory import selectors, services
from vsend.statutory.forms import AppealForm, CeaseForm, FinalPlanForm, LetterForm, PlanSectionsForm
from vsend.statutory.models import PLAN_SECTIONS, EhcPlan
from vsend.statutory.views import _record_page, _shown
from vsend.submissions.services import AlreadySubmitted, submit_once


def _limit_message() -> str:
    limit = min(settings.FILE_UPLOAD_LIMIT_BYTES, services.MAX_DOCUMENT_BYTES)
    return f"The file must be smaller than {limit // (1024 * 1024)} MB"


@require_http_methods(["GET", "HEAD", "POST"])
def add_letter(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    case = selectors.get_case_for(actor, pk, Perm.MANAGE_CASE)
    posted = request.method == "POST"
    form = LetterForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and too_large(request):
        form.is_valid()
        form.errors.pop("file", None)
        form.add_error("file", _limit_message())  # stopped as it arrived: never kept
    elif posted and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > services.MAX_DOCUMENT_BYTES:
            form.add_error("file", _limit_message())
        else:
            try:
                services.add_document(
                    actor=actor,
                    case=case,
                    kind=form.cleaned_data["kind"],
                    filename=upload.name or "letter",
                    data=upload.read(),
                )
            except services.StatutoryError as exc:
                form.add_error("file" if exc.field == "file" else None, exc.message)
            else:
                return redirect("statutory:case", pk=case.pk)
    return _record_page(request, case, "statutory/letter.html", form)


@require_safe
def letter(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    case = selectors.get_case_for(actor, pk, Perm.VIEW_CASE)
    doc = selectors.get_document_for(actor, case, doc_pk)
    _shown(actor, case, f"Letter downloaded: {english(doc.get_kind_display())}")
    response = HttpResponse(bytes(doc.content), content_type=doc.content_type)
    response["Content-Disposition"] = f'attachment; filename="{doc.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def add_appeal(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    case = selectors.get_case_for(actor, pk, Perm.MANAGE_CASE)
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def make() -> str:
            services.record_appeal(
                actor=actor,
                case=case,
                kind=data["kind"],
                about=data["about"],
                started_on=data["started_on"],
                ended_on=data.get("ended_on"),
                outcome=data["outcome"],
            )
            return reverse("statutory:case", kwargs={"pk": case.pk})

        try:
            return redirect(submit_once(request, make))
        except AlreadySubmitted as done:
            return redirect(done.url)
        except services.StatutoryError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return _record_page(request, case, "statutory/appeal.html", form)


@require_http_methods(["GET", "HEAD", "POST"])
def issue_plan(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    case = selectors.get_case_for(actor, pk, Perm.MANAGE_CASE)
    if hasattr(case, "issued_plan"):
        return redirect("statutory:plan", pk=case.issued_plan.pk)
    choices = [
        (str(s.pk), f"{s.name} ({s.urn})")
        for s in Setting.objects.filter(authority_id=case.child.authority_id).order_by("name")
    ]
    form = FinalPlanForm(choices, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        budget = set(data["personal_budget"])
        details = services.PlanDetails(
            issued_on=data["issued_on"],
            start_date=data["start_date"],
            named_setting=Setting.objects.filter(pk=data["named_setting"]).first()
            if data["named_setting"]
            else None,
            sen_setting=data["sen_setting"],
            personal_budget="taken" in budget,
            direct_payments="direct" in budget,
            organised="organised" in budget,
        )
        try:
            plan = services.issue_final_plan(
                actor=actor, case=case, details=details, sections=form.sections()
            )
        except services.StatutoryError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect("statutory:plan", pk=plan.pk)
    return _record_page(request, case, "statutory/issue_plan.html", form, sections=PLAN_SECTIONS)


@require_safe
def plan_page(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    plan = selectors.get_plan_for(actor, pk, Perm.VIEW_CASE)
    _plan_shown(actor, plan, "EHC plan opened")
    from vsend.accounts.policy import AccessPolicy
    from vsend.statutory.thread import plan_thread

    policy = AccessPolicy.for_request(request)
    reviews = list(plan.reviews.all())
    since = next((r.started_on for r in reviews if r.is_open), plan.issued_on)
    thread = plan_thread(plan, since, timezone.localdate())
    outcomes = {o.pk: o for a in thread.areas for o in a.outcomes}  # each once, from the thread
    return render(
        request,
        "statutory/plan.html",
        {
            "plan": plan,
            "child": plan.child,
            "reviews": reviews,
            "thread": thread,
            "outcomes": sorted(outcomes.values(), key=lambda o: (o.position, o.pk)),
            "can_manage": policy.can(Perm.MANAGE_CASE, plan.child_id),
        },
    )


def _plan_shown(actor: Actor, plan: EhcPlan, summary: str) -> None:
    record(
        actor,
        Action.VIEW,
        object_type="ehc_plan",
        object_id=plan.pk,
        child_id=plan.child_id,
        authority_id=plan.child.authority_id,
        summary=summary,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def edit_plan(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    plan = selectors.get_plan_for(actor, pk, Perm.MANAGE_CASE)
    initial = {f"section_{k}": v for k, _, v in plan.sections()} | {"version": plan.version}
    form = PlanSectionsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plan(
                actor=actor,
                plan=plan,
                version=form.cleaned_data["version"] or 0,
                sections=form.sections(),
            )
        except services.StatutoryError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("statutory:plan", pk=plan.pk)
    _plan_shown(actor, plan, "EHC plan form opened")
    return render(
        request,
        "statutory/edit_plan.html",
        {
            "plan": plan,
            "child": plan.child,
            "form": form,
            "errors": error_list(form) if form.is_bound and form.errors else [],
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def cease_plan(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    plan = selectors.get_plan_for(actor, pk, Perm.MANAGE_CASE)
    if plan.ceased_on is not None:
        return redirect("statutory:plan", pk=plan.pk)
    form = CeaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cease_plan(
                actor=actor,
                plan=plan,
                ceased_on=form.cleaned_data["ceased_on"],
                reason=form.cleaned_data["reason"],
            )
        except services.StatutoryError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect("statutory:plan", pk=plan.pk)
    _plan_shown(actor, plan, "Cease EHC plan form opened")
    return render(
        request,
        "statutory/cease_plan.html",
        {
            "plan": plan,
            "child": plan.child,
            "form": form,
            "errors": error_list(form) if form.is_bound and form.errors else [],
        },
    )
