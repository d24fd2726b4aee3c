"""A setting's year groups and classes, and moving its children between classes."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from vsend.aggregates import events
from vsend.audit.models import Action
from vsend.audit.services import Actor, record
from vsend.children.models import Enrolment
from vsend.organisations.models import (
    NATIONAL_CURRICULUM_YEARS,
    LocalAuthority,
    SchoolClass,
    Setting,
    YearGroup,
)


class NotAtSetting(Exception):
    """A child to move is not enrolled at the setting now, or the class is another setting's."""


def add_year_group(*, actor: Actor, setting: Setting, code: str) -> YearGroup:
    position = [c for c, _ in NATIONAL_CURRICULUM_YEARS].index(code)
    name = dict(NATIONAL_CURRICULUM_YEARS)[code]
    with transaction.atomic():
        year = YearGroup.objects.create(setting=setting, code=code, name=name, position=position)
        record(
            actor,
            Action.CREATE,
            obj=year,
            authority_id=setting.authority_id,
            summary=f"Year group {name} added to {setting.name}",
        )
    return year


def add_class(
    *, actor: Actor, setting: Setting, name: str, year_group: YearGroup | None
) -> SchoolClass:
    with transaction.atomic():
        school_class = SchoolClass.objects.create(setting=setting, name=name, year_group=year_group)
        record(
            actor,
            Action.CREATE,
            obj=school_class,
            authority_id=setting.authority_id,
            summary=f"Class {name} added to {setting.name}",
        )
    return school_class


def current_enrolments(setting: Setting) -> Iterable[Enrolment]:
    return (
        Enrolment.objects.current()
        .filter(setting=setting)
        .select_related("child", "school_class")
        .order_by("child__last_name", "child__first_name")
    )


def move_children(
    *, actor: Actor, setting: Setting, child_ids: list[int], to_class: SchoolClass
) -> int:
    """Move children enrolled at the setting now into one of its classes; one audit row."""
    if to_class.setting_id != setting.pk:
        raise NotAtSetting
    today = timezone.localdate()
    with transaction.atomic():
        enrolments = list(
            Enrolment.objects.current(today)
            .select_for_update()
            .filter(setting=setting, child_id__in=child_ids)
        )
        if {e.child_id for e in enrolments} != set(child_ids):
            raise NotAtSetting
        moved = [e for e in enrolments if e.school_class_id != to_class.pk]
        for enrolment in moved:
            enrolment.school_class = to_class
            if to_class.year_group_id:
                enrolment.year_group_id = to_class.year_group_id
            enrolment.save(update_fields=["school_class", "year_group"])
        if moved:
            events.announce(
                "enrolments.moved",
                authority_id=setting.authority_id,
                setting_ids=[setting.pk],
                since=today,
            )
        record(
            actor,
            Action.UPDATE,
            obj=to_class,
            authority_id=setting.authority_id,
            summary=f"{len(moved)} moved to class {to_class.name} at {setting.name}",
            detail={"child_ids": sorted(e.child_id for e in moved), "class_id": to_class.pk},
        )
    return len(moved)


def add_authority(*, actor: Actor, name: str, code: str) -> LocalAuthority:
    """A new local authority, empty until its settings are loaded; one audit row."""
    with transaction.atomic():
        authority = LocalAuthority.objects.create(name=name, code=code)
        record(
            actor,
            Action.CREATE,
            obj=authority,
            authority_id=authority.pk,
            summary=f"Local authority {name} ({code}) added",
        )
    return authority
