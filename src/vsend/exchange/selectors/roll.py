"""Reads of one setting's roll for its register downloads. The caller has checked the user
may exchange the setting's register (exchange.access)."""

from datetime import date
from typing import Any

from django.utils import timezone

from vsend.children.models import Child, Enrolment
from vsend.exchange.selectors.plan import current_values
from vsend.organisations.models import Setting


def on_roll(setting: Setting, child_ids: list[int] | None = None) -> list[dict[str, Any]]:
    """The register of the children on roll at the setting now (or these of them)."""
    enrolments = (
        Enrolment.objects.current()
        .filter(setting=setting)
        .select_related("child", "year_group", "school_class")
        .order_by("child__last_name", "child__first_name", "child_id")
    )
    if child_ids is not None:
        enrolments = enrolments.filter(child_id__in=child_ids)
    by_child = {e.child_id: e for e in enrolments}
    children = [e.child for e in by_child.values()]
    values = current_values(children, by_child, setting if child_ids is None else None)
    return [{"child": c, **values[c.pk]} for c in children]


def leavers(setting: Setting, *, days: int = 365) -> list[Child]:
    """Children on roll now or who left in the last year: those a CTF may be made for."""
    since = timezone.localdate().toordinal() - days
    ids = (
        Enrolment.objects.filter(setting=setting, started_on__lte=timezone.localdate())
        .exclude(ended_on__lt=date.fromordinal(since))
        .values_list("child_id", flat=True)
    )
    return list(Child.objects.filter(pk__in=ids).order_by("last_name", "first_name", "id"))


def leavers_register(setting: Setting, children: list[Child]) -> dict[int, dict[str, Any]]:
    """Each child's register values, from their latest enrolment at the setting."""
    enrolments = {
        e.child_id: e
        for e in Enrolment.objects.filter(setting=setting, child__in=children)
        .select_related("year_group", "school_class")
        .order_by("started_on")
    }
    return current_values(children, enrolments)
