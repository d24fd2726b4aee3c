"""Pages for a setting's year groups and classes, and moving children between classes."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from vsend.accounts.policy import AccessPolicy
from vsend.accounts.roles import Perm
from vsend.audit.services import actor_from_request, record_children_shown
from vsend.config.forms import error_list
from vsend.organisations import services as classes
from vsend.organisations.admin_views import refuse
from vsend.organisations.forms import ClassForm, MoveForm, YearGroupForm
from vsend.organisations.models import SchoolClass, Setting
from vsend.submissions.services import AlreadySubmitted, earlier_result, submit_once


def _setting(request: HttpRequest, pk: int) -> Setting:
    """The setting, if the user may run its classes: 403 without the permission, else 404."""
    policy = AccessPolicy.for_request(request)
    if not policy.can_anywhere(Perm.MANAGE_CLASSES):
        refuse(request, Perm.MANAGE_CLASSES)
    setting = Setting.objects.filter(pk=pk).first()
    if setting is None or not policy.may_manage_classes(setting):
        raise Http404
    return setting


def _page(
    request: HttpRequest,
    setting: Setting,
    year_form: YearGroupForm | None = None,
    class_form: ClassForm | None = None,
) -> HttpResponse:
    year_form = year_form or YearGroupForm(setting=setting)
    class_form = class_form or ClassForm(setting=setting, prefix="class")
    errors = [
        *(error_list(year_form) if year_form.is_bound else []),
        *(error_list(class_form) if class_form.is_bound else []),
    ]
    return render(
        request,
        "organisations/classes.html",
        {
            "setting": setting,
            "year_groups": setting.year_groups.all(),
            "classes": setting.classes.select_related("year_group"),
            "year_form": year_form,
            "class_form": class_form,
            "errors": errors,
        },
    )


@require_http_methods(["GET", "HEAD"])
def class_list(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _setting(request, pk))


@require_http_methods(["POST"])
def year_group_create(request: HttpRequest, pk: int) -> HttpResponse:
    setting = _setting(request, pk)
    if (earlier := earlier_result(request)) is not None:
        return redirect(earlier)  # the same form posted again
    form = YearGroupForm(request.POST, setting=setting)
    if not form.is_valid():
        return _page(request, setting, year_form=form)

    def add() -> str:
        classes.add_year_group(
            actor=actor_from_request(request), setting=setting, code=form.cleaned_data["year"]
        )
        return reverse("organisations:classes", kwargs={"pk": setting.pk})

    try:
        return redirect(submit_once(request, add))
    except AlreadySubmitted as done:
        return redirect(done.url)


@require_http_methods(["POST"])
def class_create(request: HttpRequest, pk: int) -> HttpResponse:
    setting = _setting(request, pk)
    if (earlier := earlier_result(request)) is not None:
        return redirect(earlier)  # the same form posted again
    form = ClassForm(request.POST, setting=setting, prefix="class")
    if not form.is_valid():
        return _page(request, setting, class_form=form)

    def add() -> str:
        classes.add_class(
            actor=actor_from_request(request),
            setting=setting,
            name=form.cleaned_data["name"],
            year_group=form.cleaned_data["year_group"],
        )
        return reverse("organisations:classes", kwargs={"pk": setting.pk})

    try:
        return redirect(submit_once(request, add))
    except AlreadySubmitted as done:
        return redirect(done.url)


@require_http_methods(["GET", "HEAD", "POST"])
def move_children(request: HttpRequest, pk: int) -> HttpResponse:
    setting = _setting(request, pk)
    enrolments = list(classes.current_enrolments(setting))
    choices = [
        (
            str(e.child_id),
            f"{e.child.full_name} ({e.school_class.name if e.school_class else 'no class'})",
        )
        for e in enrolments
    ]
    form = MoveForm(
        request.POST or None,
        choices=choices,
        classes=SchoolClass.objects.filter(setting=setting),
    )
    if request.method == "POST" and form.is_valid():
        try:
            classes.move_children(
                actor=actor_from_request(request),
                setting=setting,
                child_ids=[int(c) for c in form.cleaned_data["children"]],
                to_class=form.cleaned_data["to_class"],
            )
        except classes.NotAtSetting:
            form.add_error("children", "Select children enrolled at this setting")
        else:
            return redirect("organisations:classes", pk=setting.pk)
    record_children_shown(
        actor_from_request(request),
        [e.child for e in enrolments],
        object_type="setting",
        summary=f"Children at {setting.name} listed to move between classes",
    )
    return render(
        request,
        "organisations/move.html",
        {"setting": setting, "form": form, "errors": error_list(form) if form.is_bound else []},
    )
