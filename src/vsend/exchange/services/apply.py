"""Applying a register import: compared again, then written in one transaction with one audit
row naming its counts, or not at all.

The import row is locked first, so two confirmations (or a confirmation and its background
job) cannot both apply it; `applied_at` and the audit row are written in the same transaction
as the children, so a process killed at any moment leaves the import wholly in or wholly out.
"""

from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from vsend.aggregates import events
from vsend.audit.models import Action
from vsend.audit.services import MAX_CHILD_IDS, Actor, record
from vsend.children.models import Child, Enrolment
from vsend.exchange.models import (
    ImportStatus,
    RegisterImport,
    SENNeedPeriod,
    SENStatusPeriod,
)
from vsend.exchange.selectors.plan import CHILD_FIELDS, Plan
from vsend.organisations.models import NATIONAL_CURRICULUM_YEARS, SchoolClass, YearGroup


class ImportRefused(Exception):
    """The import cannot be applied; the message says why."""


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


class _Places:
    """The setting's year groups and classes, made on first use."""

    def __init__(self, setting: Any) -> None:
        self.setting = setting
        self.years = {y.code: y for y in YearGroup.objects.filter(setting=setting)}
        self.classes = {c.name: c for c in SchoolClass.objects.filter(setting=setting)}
        self.positions = {code: i for i, (code, _) in enumerate(NATIONAL_CURRICULUM_YEARS)}
        self.names = dict(NATIONAL_CURRICULUM_YEARS)

    def year(self, code: str) -> YearGroup | None:
        if not code:
            return None
        if code not in self.years:
            self.years[code] = YearGroup.objects.create(
                setting=self.setting,
                code=code,
                name=self.names.get(code, f"Year {code}"),
                position=self.positions.get(code, 99),
            )
        return self.years[code]

    def school_class(self, name: str, year: YearGroup | None) -> SchoolClass | None:
        if not name:
            return None
        if name not in self.classes:
            self.classes[name] = SchoolClass.objects.create(
                setting=self.setting, name=name, year_group=year
            )
        return self.classes[name]


def _set_fields(child: Child, r: dict[str, Any]) -> None:
    for name in CHILD_FIELDS:
        if name in r:
            setattr(child, name, r[name] or "")
    if r.get("date_of_birth"):
        child.date_of_birth = date.fromisoformat(r["date_of_birth"])


def _placement(e: Enrolment, r: dict[str, Any], places: _Places) -> None:
    if "year_group" in r:
        e.year_group = places.year(r["year_group"])
    if "reg_group" in r:
        e.school_class = places.school_class(r["reg_group"], e.year_group)


def _sen_periods(
    child: Child, r: dict[str, Any], now: dict[str, Any] | None, out: list[Any]
) -> None:
    """New SEN history rows for what the record says that vsend does not hold yet."""
    held = now or {}
    for day, provision in r.get("sen_history", []):
        if (day, provision) not in set(held.get("sen_history", [])):
            out.append(SENStatusPeriod(child=child, provision=provision, started_on=_day(day)))
    for need, rank, start, end in r.get("sen_needs", []):
        if (need, rank, start, end) not in set(held.get("sen_needs", [])):
            out.append(
                SENNeedPeriod(
                    child=child,
                    need_type=need,
                    rank=rank,
                    started_on=_day(start),
                    ended_on=_day(end),
                )
            )
    if "sen_history" in r or not ("sen_provision" in r or "sen_start" in r):
        return
    provision = r.get("sen_provision", held.get("sen_provision", "N"))
    start = r.get("sen_start", held.get("sen_start"))
    if (provision, start) != (held.get("sen_provision", "N"), held.get("sen_start")):
        if provision != "N" or held:
            out.append(SENStatusPeriod(child=child, provision=provision, started_on=_day(start)))


def write_plan(imp: RegisterImport, plan: Plan, *, today: date, actor: Actor) -> None:
    setting = imp.setting
    places = _Places(setting)
    now = timezone.now()
    periods: list[Any] = []
    new_children = []
    for r in plan.added:
        child = Child(authority_id=setting.authority_id, created_at=now, updated_at=now)
        _set_fields(child, r)
        child.sen_provision = child.sen_provision or "N"
        new_children.append(child)
    Child.objects.bulk_create(new_children, batch_size=1000)
    enrolments = []
    for child, r in zip(new_children, plan.added, strict=True):
        e = Enrolment(child=child, setting=setting, started_on=today)
        _placement(e, r, places)
        enrolments.append(e)
        _sen_periods(child, r, None, periods)
    for child, r in plan.joining:
        _set_fields(child, r)
        child.version += 1
        child.updated_at = now
        e = Enrolment(child=child, setting=setting, started_on=today)
        _placement(e, r, places)
        enrolments.append(e)
        _sen_periods(child, r, None, periods)
    Enrolment.objects.bulk_create(enrolments, batch_size=1000)
    changed_children = [c for c, _ in plan.joining]
    current = plan.roll
    moved = []
    for child, r, _changes in plan.changed:
        _set_fields(child, r)
        child.version += 1
        child.updated_at = now
        changed_children.append(child)
        held = current.get(child.pk)
        if held is not None and ("year_group" in r or "reg_group" in r):
            _placement(held, r, places)
            moved.append(held)
        _sen_periods(child, r, plan.current.get(child.pk), periods)
    fields = [*CHILD_FIELDS, "date_of_birth", "version", "updated_at"]
    Child.objects.bulk_update(changed_children, fields, batch_size=1000)
    Enrolment.objects.bulk_update(moved, ["year_group", "school_class"], batch_size=1000)
    if imp.end_missing and plan.leaving:
        Enrolment.objects.filter(pk__in=[e.pk for e in plan.leaving]).update(
            ended_on=today - timedelta(days=1)
        )
    SENStatusPeriod.objects.bulk_create(
        [p for p in periods if isinstance(p, SENStatusPeriod)], batch_size=1000
    )
    SENNeedPeriod.objects.bulk_create(
        [p for p in periods if isinstance(p, SENNeedPeriod)], batch_size=1000
    )
    imp.counts = {
        **plan.counts,
        "left": len(plan.leaving) if imp.end_missing else 0,
    }
    ids = sorted(c.pk for c in new_children + changed_children)
    record(
        actor,
        Action.UPDATE,
        object_type="register_import",
        object_id=imp.pk,
        authority_id=setting.authority_id,
        summary=(
            f"Register loaded into {setting.name} from {imp.file_name}: "
            f"{imp.counts['added']} added, {imp.counts['changed']} changed, "
            f"{imp.counts['unchanged']} unchanged, {imp.counts['left']} left"
        ),
        detail={
            **imp.counts,
            "file": imp.file_name,
            "source": imp.source,
            "setting_id": setting.pk,
            "child_ids": ids[:MAX_CHILD_IDS],
            "children_touched": len(ids),
        },
    )


def apply_import(*, actor: Actor, pk: int, user: Any | None = None) -> RegisterImport:
    """Apply the import in one transaction, with one audit row naming the counts."""
    from vsend.exchange.services import plan_import

    today = timezone.localdate()
    try:
        with transaction.atomic():
            query = (
                RegisterImport.objects.select_for_update(of=("self",))
                .defer("rows")
                .filter(pk=pk, applied_at__isnull=True)
            )
            if user is not None:
                query = query.filter(user=user)
            imp = query.select_related("setting").first()
            if imp is None or imp.expires_at < timezone.now():
                raise ImportRefused(
                    "This upload has expired or has been loaded already: upload the file again"
                )
            plan = plan_import(imp, today=today)
            if plan.problems:
                raise ImportRefused(
                    "The file has rows vsend cannot load, so nothing has been loaded: correct "
                    "them in your MIS or in the file, then upload it again"
                )
            write_plan(imp, plan, today=today, actor=actor)
            imp.applied_at = timezone.now()
            imp.status = ImportStatus.APPLIED
            imp.rows, imp.records = [], []
            imp.save(update_fields=["applied_at", "status", "rows", "records", "counts"])
            events.announce(
                "register.imported",
                authority_id=imp.setting.authority_id,
                setting_ids=[imp.setting_id],
            )
    except IntegrityError:
        raise ImportRefused(
            "Another change to these children was saved while this one was being loaded, so "
            "nothing has been loaded: check the file again"
        ) from None
    return imp
