"""A family's request for an EHC needs assessment: one question a page, then check and send.

Answers are kept in the session (bounded like the form) until they are sent, so nothing typed is
lost between pages; the request is made once, from the check page (a one-time token)."""

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from vsend.audit.models import Action
from vsend.audit.services import Actor, record
from vsend.children.models import Child
from vsend.config.forms import error_list
from vsend.statutory import services
from vsend.statutory.models import TEXT_LIMIT, Requester
from vsend.submissions.services import AlreadySubmitted, submit_once

SESSION_KEY = "vsend_ehc_request_{}"


def _questions(young_person: bool) -> dict[str, tuple[str, str, bool]]:
    """page: (question, hint, required)"""
    pages = {
        "reasons": (
            _("Why are you asking for an assessment?"),
            _(
                "What you find hard, what has been tried and what difference it made. You do "
                "not need any scores or reports."
            )
            if young_person
            else _(
                "What your child finds hard, what has been tried and what difference it made. "
                "You do not need any scores or reports."
            ),
            True,
        ),
    }
    if not young_person:
        pages["family"] = (
            _("What would you like the local authority to know about your family?"),
            _("Your hopes, your worries and what helps at home. You can leave this empty."),
            False,
        )
    pages["child"] = (
        _("What do you think?") if young_person else _("What does your child think?"),
        _(
            "What you like, what is hard and what you hope for, in your own words. You can "
            "leave this empty."
        )
        if young_person
        else _(
            "In their own words if you can: what they like, what is hard, what they hope for. "
            "You can leave this empty."
        ),
        False,
    )
    return pages


FIELDS = {"reasons": "reasons", "family": "family_views", "child": "child_views"}


class AnswerForm(forms.Form):
    def __init__(self, question: str, required: bool, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["answer"] = forms.CharField(
            label=question,
            required=required,
            max_length=TEXT_LIMIT,
            widget=forms.Textarea,
            error_messages={
                "required": _("Say why you are asking for an assessment"),
                "max_length": _("Your answer must be %(limit)s characters or fewer")
                % {"limit": f"{TEXT_LIMIT:,}"},
            },
        )


def handle(request: HttpRequest, actor: Actor, child: Child, requester: str) -> HttpResponse:
    young_person = requester == Requester.YOUNG_PERSON
    pages = _questions(young_person)
    order = [*pages, "check"]
    page = request.GET.get("page", "reasons")
    if page not in order:
        page = "reasons"
    key = SESSION_KEY.format(child.pk)
    answers: dict[str, str] = dict(request.session.get(key, {}))
    base = reverse("statutory:request", kwargs={"child_pk": child.pk})
    if page == "check":
        return _check(request, actor, child, requester, answers, pages, base, key)
    question, hint, required = pages[page]
    form = AnswerForm(
        question,
        required,
        request.POST or None,
        initial={"answer": answers.get(FIELDS[page], "")},
    )
    if request.method == "POST" and form.is_valid():
        answers[FIELDS[page]] = form.cleaned_data["answer"]
        request.session[key] = answers
        return redirect(f"{base}?page={order[order.index(page) + 1]}")
    record(actor, Action.VIEW, obj=child, summary="Request for an EHC needs assessment page opened")
    return render(
        request,
        "statutory/request_question.html",
        {
            "child": child,
            "form": form,
            "hint": hint,
            "page": page,
            "first": page == order[0],
            "young_person": young_person,
            "back": f"{base}?page={order[order.index(page) - 1]}" if page != order[0] else None,
            "errors": error_list(form) if form.is_bound and form.errors else [],
        },
    )


def _check(
    request: HttpRequest,
    actor: Actor,
    child: Child,
    requester: str,
    answers: dict[str, str],
    pages: dict[str, tuple[str, str, bool]],
    base: str,
    key: str,
) -> HttpResponse:
    if not answers.get("reasons"):
        return redirect(f"{base}?page=reasons")
    if request.method == "POST":

        def make() -> str:
            case = services.request_assessment(
                actor=actor,
                child=child,
                requester=requester,
                reasons=answers.get("reasons", ""),
                family_views=answers.get("family_views", ""),
                child_views=answers.get("child_views", ""),
            )
            return reverse("statutory:case", kwargs={"pk": case.pk})

        try:
            url = submit_once(request, make)
        except AlreadySubmitted as done:
            url = done.url
        except services.OpenRequestExists as exc:
            url = reverse("statutory:case", kwargs={"pk": exc.case.pk})
        request.session.pop(key, None)
        return redirect(url)
    record(actor, Action.VIEW, obj=child, summary="Request for an EHC needs assessment checked")
    rows = [
        {
            "question": question,
            "answer": answers.get(FIELDS[page], ""),
            "href": f"{base}?page={page}",
        }
        for page, (question, _, _) in pages.items()
    ]
    summary = [
        {
            "key": {"text": r["question"]},
            "value": {"text": r["answer"] or _("Not given")},
            "actions": {
                "items": [
                    {"href": r["href"], "text": _("Change"), "visuallyHiddenText": r["question"]}
                ]
            },
        }
        for r in rows
    ]
    return render(
        request,
        "statutory/request_check.html",
        {"child": child, "rows": rows, "summary": summary, "errors": []},
    )
