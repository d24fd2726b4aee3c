"""What the pages of a child's record that follows a workflow (a statutory case, a transition
plan) share: its opening written to the audit trail, and its form pages."""

from dataclasses import dataclass
from typing import Any, Protocol

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vsend.audit.services import Actor, actor_from_request, record_shown
from vsend.children.models import Child
from vsend.config.forms import error_list


class ChildRecord(Protocol):
    @property
    def pk(self) -> Any: ...

    @property
    def child_id(self) -> int: ...

    @property
    def child(self) -> Child: ...


@dataclass(frozen=True)
class RecordPages:
    """The pages of one kind of record: `key` names it in a template's context, `object_type`
    in the audit trail; `form_opened` is the audit summary of its form pages."""

    key: str
    object_type: str
    form_opened: str

    def shown(self, actor: Actor, obj: ChildRecord, summary: str) -> None:
        record_shown(actor, obj, self.object_type, summary)

    def form_page(
        self, request: HttpRequest, obj: ChildRecord, template: str, form: Any, **extra: Any
    ) -> HttpResponse:
        """A form about the record: the record and its child, the form, and the error summary
        once a submitted form has errors."""
        self.shown(actor_from_request(request), obj, self.form_opened)
        return render(
            request,
            template,
            {
                self.key: obj,
                "child": obj.child,
                "form": form,
                "errors": error_list(form) if form.is_bound and form.errors else [],
                **extra,
            },
        )
