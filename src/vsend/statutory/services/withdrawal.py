"""Withdrawing a request for an assessment: by the family (or young person), or by the setting
that made it; the clock stops and nothing more is due."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from vsend.audit.models import Action
from vsend.audit.services import Actor
from vsend.statutory import stored
from vsend.statutory.models import NOTE_LIMIT, Case, Kind, Requester, WithdrawnBy
from vsend.statutory.services.common import StatutoryError, _audit, _close, _date, _text


def withdraw(
    *, actor: Actor, case: Case, on: date, by: str, reason: str, as_family: bool = False
) -> None:
    """The request withdrawn before it is decided, by the family (or the young person) or by the
    setting that made it. The clock stops: nothing more is due, and SEN2 reports it as
    withdrawn. A setting may withdraw only its own request; a family any request for their
    child. `as_family` is true when the person is the family themselves (not staff on their
    behalf)."""
    if case.kind != Kind.ASSESSMENT:
        raise StatutoryError("Only a request for an assessment can be withdrawn")
    if not case.is_open:
        raise StatutoryError("This request has already finished")
    if by not in WithdrawnBy.values:
        raise StatutoryError("Choose who is withdrawing the request", "by")
    if by == WithdrawnBy.SETTING and case.requester != Requester.SETTING:
        raise StatutoryError(
            "The setting did not make this request, so only the family can withdraw it", "by"
        )
    if as_family and by != WithdrawnBy.FAMILY:
        raise StatutoryError("You can withdraw the request as the family", "by")
    _date(on, "on", case=case, today=timezone.localdate(), name="The date")
    reason = _text(reason, "reason", NOTE_LIMIT)
    if not reason:
        raise StatutoryError("Say why the request is being withdrawn", "reason")
    with transaction.atomic():
        updated = Case.objects.filter(pk=case.pk, closed_on__isnull=True).update(
            withdrawn=True, withdrawn_by=by, withdrawn_reason=reason
        )
        if not updated:
            return  # withdrawn a moment ago (a double click): once
        case.withdrawn, case.withdrawn_by, case.withdrawn_reason = True, by, reason
        _close(case, on, "Request withdrawn")
        stored.announce(case)  # the stored timeliness figures follow (ADR 25)
        _audit(actor, Action.UPDATE, case, "Request withdrawn", {"on": on.isoformat(), "by": by})
