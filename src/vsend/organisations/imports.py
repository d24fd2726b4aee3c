"""Loading an authority's settings from the public register: upload, preview, confirm.

An upload is parsed (vsend.organisations.gias) and kept server-side for its uploader as a
SettingsImport until it expires. The preview compares it with the settings vsend holds,
matched on URN; confirming compares again and applies the result in one transaction with one
audit row naming the counts, so loading the same file twice changes nothing the second time.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from vsend.audit.models import Action
from vsend.audit.services import Actor, record
from vsend.organisations import gias
from vsend.organisations.models import (
    LocalAuthority,
    Locality,
    Setting,
    SettingsImport,
    SettingStatus,
    SettingType,
    Trust,
)

# The setting's fields the register decides, with the names shown in the preview. A field a
# record leaves out (an establishment number the file does not give) stays as vsend holds it.
FIELDS: dict[str, str] = {
    "name": "Name",
    "establishment_number": "DfE establishment number",
    "setting_type": "Type of setting",
    "establishment_type": "Establishment type",
    "phase": "Phase of education",
    "status": "Status",
    "opened_on": "Opened",
    "closed_on": "Closed",
    "street": "Street",
    "town": "Town",
    "postcode": "Postcode",
    "easting": "Easting",
    "northing": "Northing",
    "trust": "Trust",
}


class ImportRefused(Exception):
    """The import cannot be applied; the message says why."""


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    old: str
    new: str


@dataclass
class Plan:
    added: list[dict[str, Any]] = field(default_factory=list)
    changed: list[tuple[Setting, list[Change]]] = field(default_factory=list)
    closed: list[tuple[Setting, list[Change]]] = field(default_factory=list)
    unchanged: int = 0
    not_in_file: int = 0
    closed_not_held: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "changed": len(self.changed),
            "closed": len(self.closed),
            "unchanged": self.unchanged,
            "not_in_file": self.not_in_file,
        }

    @property
    def changes_anything(self) -> bool:
        return bool(self.added or self.changed or self.closed)


def _shown(name: str, value: Any) -> str:
    if value in (None, ""):
        return "(none)"
    if name == "setting_type":
        return str(SettingType(value).label)
    if name == "status":
        return str(SettingStatus(value).label)
    if name in ("opened_on", "closed_on"):
        day = value if isinstance(value, date) else date.fromisoformat(value)
        return f"{day.day} {day:%B %Y}"
    return str(value)


def _current(setting: Setting) -> dict[str, Any]:
    values = {name: getattr(setting, name) for name in FIELDS if name != "trust"}
    for name in ("opened_on", "closed_on"):
        values[name] = values[name].isoformat() if values[name] else None
    values["trust"] = setting.trust.name if setting.trust else ""
    return values


def _differences(setting: Setting, incoming: dict[str, Any]) -> list[Change]:
    now = _current(setting)
    return [
        Change(name, label, _shown(name, now[name]), _shown(name, incoming[name]))
        for name, label in FIELDS.items()
        if name in incoming and (now[name] or None) != (incoming[name] or None)
    ]


def start_import(
    *, user: Any, authority: LocalAuthority, locality: Locality, file_name: str, data: bytes
) -> SettingsImport:
    """Read an upload and keep it for its preview; UnreadableFile if it cannot be read."""
    extract = gias.read_extract(data, authority.code)
    SettingsImport.objects.filter(expires_at__lt=timezone.now()).delete()
    SettingsImport.objects.filter(user=user, applied_at__isnull=True).delete()
    return SettingsImport.objects.create(
        user=user,
        authority=authority,
        locality=locality,
        file_name=file_name[:200],
        records=extract.records,
        report={
            "rows": extract.rows,
            "other_authorities": extract.other_authorities,
            "not_held": extract.not_held,
            "problems": extract.problems,
        },
    )


def pending_import(user: Any, authority: LocalAuthority, pk: int) -> SettingsImport | None:
    """The user's own unexpired, unapplied upload for this authority, or None."""
    return SettingsImport.objects.filter(
        pk=pk,
        user=user,
        authority=authority,
        applied_at__isnull=True,
        expires_at__gte=timezone.now(),
    ).first()


def plan_import(imp: SettingsImport) -> Plan:
    """What confirming would do, compared with the settings held now."""
    plan = Plan(problems=list(imp.report.get("problems", [])))
    urns = [r["urn"] for r in imp.records]
    held = {
        s.urn: s for s in Setting.objects.filter(urn__in=urns).select_related("trust", "authority")
    }
    for incoming in imp.records:
        setting = held.get(incoming["urn"])
        if setting is None:
            if incoming["status"] == SettingStatus.CLOSED:
                plan.closed_not_held += 1
            else:
                plan.added.append(incoming)
            continue
        if setting.authority_id != imp.authority_id:
            plan.problems.append(
                f"Row {incoming['row']}: URN {incoming['urn']} is a setting of "
                f"{setting.authority.name} in vsend, not of {imp.authority.name}"
            )
            continue
        changes = _differences(setting, incoming)
        if not changes:
            plan.unchanged += 1
        elif setting.status == SettingStatus.OPEN and incoming["status"] == SettingStatus.CLOSED:
            plan.closed.append((setting, changes))
        else:
            plan.changed.append((setting, changes))
    plan.not_in_file = (
        Setting.objects.filter(authority_id=imp.authority_id).exclude(urn__in=urns).count()
    )
    return plan


def _values(incoming: dict[str, Any], trusts: dict[str, Trust]) -> dict[str, Any]:
    values = {name: incoming[name] for name in FIELDS if name != "trust" and name in incoming}
    for name in ("opened_on", "closed_on"):
        values[name] = date.fromisoformat(values[name]) if values[name] else None
    name = incoming["trust"]
    if name and name not in trusts:
        trusts[name] = Trust.objects.get_or_create(name=name)[0]
    values["trust"] = trusts[name] if name else None
    return values


def apply_import(*, actor: Actor, user: Any, authority: LocalAuthority, pk: int) -> Plan:
    """Apply the user's upload in one transaction, with one audit row naming the counts."""
    with transaction.atomic():
        imp = (
            SettingsImport.objects.select_for_update()
            .filter(pk=pk, user=user, authority=authority, applied_at__isnull=True)
            .first()
        )
        if imp is None or imp.expires_at < timezone.now():
            raise ImportRefused(
                "This upload has expired or has been loaded already: upload the file again"
            )
        plan = plan_import(imp)
        if plan.problems:
            raise ImportRefused(
                "The file has rows vsend cannot read, so nothing has been loaded: correct them "
                "or download the extract again, then upload it"
            )
        trusts: dict[str, Trust] = {}
        by_urn = {r["urn"]: r for r in imp.records}
        for incoming in plan.added:
            Setting.objects.create(
                authority=authority,
                locality=imp.locality,
                urn=incoming["urn"],
                **_values(incoming, trusts),
            )
        for setting, _ in plan.changed + plan.closed:
            for name, value in _values(by_urn[setting.urn], trusts).items():
                setattr(setting, name, value)
            setting.save()
        imp.applied_at = timezone.now()
        imp.records = []
        imp.save(update_fields=["applied_at", "records"])
        record(
            actor,
            Action.UPDATE,
            object_type="settings_import",
            object_id=imp.pk,
            authority_id=authority.pk,
            summary=(
                f"Settings loaded from {imp.file_name}: {len(plan.added)} added, "
                f"{len(plan.changed)} changed, {len(plan.closed)} closed, "
                f"{plan.unchanged} unchanged"
            ),
            detail={
                **plan.counts,
                "file": imp.file_name,
                "added_urns": [r["urn"] for r in plan.added],
                "changed_urns": [s.urn for s, _ in plan.changed],
                "closed_urns": [s.urn for s, _ in plan.closed],
            },
        )
    return plan
