"""What every statutory write shares: the refusal it raises, its audit row, its checks of text
and dates, and the case's version and closing."""

from datetime import date
from typing import Any

from vsend.audit.services import Actor, record
from vsend.statutory import stored
from vsend.statutory.models import TEXT_LIMIT, Case
from vsend.workflows.definitions import Definition, definition


class StatutoryError(Exception):
    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class OpenRequestExists(Exception):
    """The child already has a request being considered: a second goes to it."""

    def __init__(self, case: Case) -> None:
        super().__init__(case.pk)
        self.case = case


def workflow_of(case: Case) -> Definition:
    return definition(case.workflow)


def _audit(
    actor: Actor, action: str, case: Case, summary: str, detail: dict[str, Any] | None = None
) -> None:
    record(
        actor,
        action,
        object_type="statutory_case",
        object_id=case.pk,
        child_id=case.child_id,
        authority_id=case.child.authority_id,
        summary=summary,
        detail=detail or {},
    )


def _text(value: str, field: str, limit: int = TEXT_LIMIT) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise StatutoryError(f"Use {limit:,} characters or fewer", field)
    return value


def _date(value: date | None, field: str, *, case: Case | None, today: date, name: str) -> None:
    if value is None:
        return
    if value > today:
        raise StatutoryError(f"{name} must be today or in the past", field)
    if case is not None and value < case.started_on:
        raise StatutoryError(
            f"{name} must be on or after {case.started_on:%-d %B %Y}, when the case began", field
        )


def _bump(case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(version=case.version + 1)
    case.version += 1
    stored.announce(case)  # the stored timeliness figures follow (ADR 25)


def _close(case: Case, on: date, reason: str) -> None:
    case.closed_on, case.closed_reason = on, reason[:200]
    Case.objects.filter(pk=case.pk).update(closed_on=on, closed_reason=case.closed_reason)
