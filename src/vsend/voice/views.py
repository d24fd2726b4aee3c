"""The child's own pages: "All about me" one question a page, their view of each area, then
check and send. Thin: reads through selectors, writes through services, every read audited.

The pages speak to the child ("I", "me", "you") whoever is signed in; an adult sitting with
them is told that they are recorded as helping. They never show a staff note or rating.
"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from vsend.accounts.roles import Perm
from vsend.audit.models import Action
from vsend.audit.services import Actor, actor_from_request, record
from vsend.children.models import Child
from vsend.children.selectors import get_child_for
from vsend.config.forms import error_list
from vsend.frameworks.loader import Framework
from vsend.submissions.services import AlreadySubmitted, earlier_result, submit_once
from vsend.voice import selectors, services
from vsend.voice.forms import AnswerForm, AreaForm, SendForm
from vsend.voice.models import AboutMe, Helper
from vsend.voice.questions import catalogue, child_level_words

# The face beside each level of "my view", from "fine for me" to "very hard for me".
LEVEL_SYMBOLS = ("happy", "calm", "thinking", "worried", "upset")


def _child(request: HttpRequest, pk: int, perm: str = Perm.GIVE_OWN_VIEWS) -> tuple[Actor, Child]:
    actor = actor_from_request(request)
    return actor, get_child_for(actor, pk, perm)


def _opened(actor: Actor, child: Child, what: str) -> None:
    record(actor, Action.VIEW, obj=child, summary=what)


def _steps(framework: Framework) -> list[tuple[str, str]]:
    """Every page in order: the questions, then my view of each area."""
    return [("question", k) for k in catalogue().keys()] + [
        ("area", d.key) for d in framework.domains
    ]


def _url(child: Child, step: tuple[str, str] | None) -> str:
    if step is None:
        return reverse("voice:check", kwargs={"child_pk": child.pk})
    kind, key = step
    arg = "question" if kind == "question" else "domain"
    return reverse(f"voice:{kind}", kwargs={"child_pk": child.pk, arg: key})


def _next(child: Child, framework: Framework, step: tuple[str, str], request: HttpRequest) -> str:
    steps = _steps(framework)
    i = steps.index(step)
    if "check" in request.GET or i == len(steps) - 1:
        return _url(child, None)
    return _url(child, steps[i + 1])


def _back(child: Child, framework: Framework, step: tuple[str, str]) -> str:
    steps = _steps(framework)
    i = steps.index(step)
    return _url(child, steps[i - 1]) if i else reverse("voice:start", kwargs={"child_pk": child.pk})


def _posted(request: HttpRequest) -> Any:
    """The posted data (even when empty: an empty post is answered with its errors)."""
    return request.POST if request.method == "POST" else None


def _common(actor: Actor, child: Child, draft: AboutMe | None) -> dict[str, Any]:
    helper = services.helper_for(actor, child)
    return {
        "child": child,
        "draft": draft,
        "helping": helper != Helper.SELF,
        "own": helper == Helper.SELF,
        "catalogue": catalogue(),
    }


@require_safe
def start(request: HttpRequest, child_pk: int) -> HttpResponse:
    actor, child = _child(request, child_pk)
    _opened(actor, child, "All about me opened")
    draft = selectors.draft(child.pk)
    framework = services.framework_for(child)
    steps = _steps(framework)
    done = _done(draft)
    first = next((s for s in steps if s not in done), None)
    return render(
        request,
        "voice/start.html",
        _common(actor, child, draft)
        | {
            "versions": selectors.versions(child.pk),
            "continue_url": _url(child, first) if draft else _url(child, steps[0]),
            "done": len([s for s in steps if s in done]),
            "total": len(steps),
        },
    )


def _done(draft: AboutMe | None) -> set[tuple[str, str]]:
    if draft is None:
        return set()
    return {("question", k) for k in draft.answers} | {("area", k) for k in draft.area_views}


@require_http_methods(["GET", "HEAD", "POST"])
def question(request: HttpRequest, child_pk: int, question: str) -> HttpResponse:
    actor, child = _child(request, child_pk)
    q = catalogue().question(question)
    if q is None:
        raise Http404
    framework = services.framework_for(child)
    draft = selectors.draft(child.pk)
    saved = (draft.answers.get(question) if draft else None) or {}
    form = AnswerForm(
        _posted(request),
        question=q,
        initial={
            "symbols": saved.get("symbols", []),
            "words": saved.get("words", ""),
            "skip": saved.get("skip", False),
        },
    )
    step = ("question", question)
    if request.method == "POST" and form.is_valid():
        page = draft or services.draft_for(actor, child)
        try:
            services.save_answer(
                actor=actor,
                page=page,
                question=question,
                symbols=form.cleaned_data["symbols"],
                words=form.cleaned_data["words"].strip(),
                skip=form.cleaned_data["skip"],
            )
        except services.AlreadySent:
            return redirect("voice:start", child_pk=child.pk)
        return redirect(_next(child, framework, step, request))
    if request.method == "GET":
        _opened(actor, child, f"All about me question opened: {q.key}")
    keys = catalogue().keys()
    checked = set(form["symbols"].value() or [])
    return render(
        request,
        "voice/question.html",
        _common(actor, child, draft)
        | {
            "question": q,
            "form": form,
            "checked": checked,
            "number": keys.index(question) + 1,
            "total": len(keys),
            "back": _back(child, framework, step),
            "errors": error_list(form) if form.is_bound and form.errors else [],
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def area(request: HttpRequest, child_pk: int, domain: str) -> HttpResponse:
    actor, child = _child(request, child_pk)
    framework = services.framework_for(child)
    d = next((x for x in framework.domains if x.key == domain), None)
    if d is None:
        raise Http404
    draft = selectors.draft(child.pk)
    saved = (draft.area_views.get(domain) if draft else None) or {}
    initial = "skip" if saved.get("skip") else saved.get("level")
    form = AreaForm(
        _posted(request),
        initial={"level": "" if initial is None else str(initial)},
        levels=len(framework.scale),
    )
    step = ("area", domain)
    if request.method == "POST" and form.is_valid():
        level, skip = form.choice
        page = draft or services.draft_for(actor, child)
        try:
            services.save_area_view(actor=actor, page=page, domain=domain, level=level, skip=skip)
        except services.AlreadySent:
            return redirect("voice:start", child_pk=child.pk)
        return redirect(_next(child, framework, step, request))
    if request.method == "GET":
        _opened(actor, child, f"All about me area opened: {domain}")
    keys = [x.key for x in framework.domains]
    current = form["level"].value()
    choices = [
        (value, label, catalogue().symbols[LEVEL_SYMBOLS[min(i, len(LEVEL_SYMBOLS) - 1)]])
        for i, (value, label) in enumerate(form.fields["level"].choices)  # type: ignore[attr-defined]
        if value != "skip"
    ]
    return render(
        request,
        "voice/area.html",
        _common(actor, child, draft)
        | {
            "area": catalogue().area(d.key, d.short_name),
            "form": form,
            "choices": choices,
            "current": "" if current is None else str(current),
            "number": keys.index(domain) + 1,
            "total": len(keys),
            "back": _back(child, framework, step),
            "errors": error_list(form) if form.is_bound and form.errors else [],
        },
    )


def _answers(page: AboutMe | None, framework: Framework) -> dict[str, Any]:
    """What was said, in the order it was asked, for the check page and a sent version."""
    cat = catalogue()
    words = child_level_words(len(framework.scale))
    answers = page.answers if page else {}
    areas = page.area_views if page else {}
    return {
        "answer_rows": [
            (
                q,
                answers.get(q.key),
                [
                    cat.symbols[s]
                    for s in (answers.get(q.key) or {}).get("symbols", [])
                    if s in cat.symbols
                ],
            )
            for q in cat.questions
        ],
        "area_rows": [
            (
                d,
                cat.area(d.key, d.short_name),
                areas.get(d.key),
                words[areas[d.key]["level"]]
                if areas.get(d.key)
                and areas[d.key].get("level") is not None
                and areas[d.key]["level"] < len(words)
                else "",
            )
            for d in framework.domains
        ],
    }


@require_http_methods(["GET", "HEAD", "POST"])
def check(request: HttpRequest, child_pk: int) -> HttpResponse:
    actor, child = _child(request, child_pk)
    framework = services.framework_for(child)
    draft = selectors.draft(child.pk)
    form = SendForm(_posted(request), initial={"helper_name": draft.helper_name if draft else ""})
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        earlier = earlier_result(request)
        if earlier:
            return redirect(earlier)  # a second press: the first one sent it
        if draft is None:
            errors = [
                {
                    "text": _("Answer at least one question first"),
                    "href": _url(child, _steps(framework)[0]),
                }
            ]
        elif form.is_valid():

            def send() -> str:
                sent = services.send(
                    actor=actor, page=draft, helper_name=form.cleaned_data["helper_name"]
                )
                return (
                    reverse("voice:version", kwargs={"child_pk": child.pk, "number": sent.number})
                    + "?sent=1"
                )

            try:
                return redirect(submit_once(request, send))
            except AlreadySubmitted as done:
                return redirect(done.url)
            except services.NothingToSend:
                errors = [
                    {
                        "text": _("Answer at least one question first"),
                        "href": _url(child, _steps(framework)[0]),
                    }
                ]
            except services.AlreadySent:
                return redirect("voice:start", child_pk=child.pk)
        else:
            errors = error_list(form)
    else:
        _opened(actor, child, "All about me checked")
    return render(
        request,
        "voice/check.html",
        _common(actor, child, draft)
        | _answers(draft, framework)
        | {"form": form, "errors": errors},
    )


@require_safe
def version(request: HttpRequest, child_pk: int, number: int) -> HttpResponse:
    """A sent version, as the child said it: for the child and everyone who sees their profile."""
    actor, child = _child(request, child_pk, Perm.VIEW_PROFILE)
    page = selectors.version(child.pk, number)
    if page is None:
        raise Http404
    _opened(actor, child, f"All about me {number} read")
    framework = services.framework_for(child)
    return render(
        request,
        "voice/version.html",
        _common(actor, child, None)
        | _answers(page, framework)
        | {
            "page": page,
            "just_sent": "sent" in request.GET,
            "versions": selectors.versions(child.pk),
        },
    )
