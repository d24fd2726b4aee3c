"""Writes for place planning, each audited. Saving the same answers twice changes nothing and
records nothing the second time (a double click is harmless)."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from vsend.audit.models import Action
from vsend.audit.services import Actor, record
from vsend.children.models import Child
from vsend.organisations.models import LocalAuthority, Setting
from vsend.places.models import Centroid, Designation, Placement


@transaction.atomic
def save_designation(actor: Actor, setting: Setting, data: dict[str, Any]) -> Designation:
    all_needs = data["scope"] == "all"
    values = {
        "kind": data["kind"],
        "all_needs": all_needs,
        "needs": "" if all_needs else ",".join(sorted(data.get("needs") or [])),
        "places": data["places"],
        "first_year": int(data["first_year"]),
        "last_year": int(data["last_year"]),
    }
    point = (data.get("easting"), data.get("northing"))
    if (setting.easting, setting.northing) != point:
        before_point = (setting.easting, setting.northing)
        setting.easting, setting.northing = point
        setting.save(update_fields=["easting", "northing"])
        record(
            actor,
            Action.UPDATE,
            obj=setting,
            authority_id=setting.authority_id,
            summary=f"Map position of {setting.name} changed for place planning",
            detail={"before": list(before_point), "after": list(point)},
        )
    found = Designation.objects.select_for_update().filter(setting=setting).first()
    if found is not None and all(getattr(found, k) == v for k, v in values.items()):
        return found
    before = {k: getattr(found, k) for k in values} if found else None
    if found is None:
        found = Designation(setting=setting, **values)
    else:
        for k, v in values.items():
            setattr(found, k, v)
        found.version += 1
    found.updated_at, found.updated_by = timezone.now(), actor.user
    found.save()
    record(
        actor,
        Action.CREATE if before is None else Action.UPDATE,
        obj=found,
        authority_id=setting.authority_id,
        summary=f"Designation and places of {setting.name} {'set' if before is None else 'changed'}",
        detail={"before": before, "after": values},
    )
    return found


@transaction.atomic
def replace_centroids(
    actor: Actor, authority: LocalAuthority, rows: list[tuple[str, str, int, int]]
) -> int:
    """The authority's home areas become exactly these (by name): new ones added, changed ones
    moved, ones no longer listed removed (children's home areas there become not recorded)."""
    existing = {
        c.name.upper(): c for c in Centroid.objects.select_for_update().filter(authority=authority)
    }
    wanted = {name.upper(): (name, kind, e, n) for name, kind, e, n in rows}
    changed = 0
    for key, (name, kind, e, n) in wanted.items():
        c = existing.get(key)
        if c is None:
            Centroid.objects.create(
                authority=authority, name=name, kind=kind, easting=e, northing=n
            )
            changed += 1
        elif (c.name, c.kind, c.easting, c.northing) != (name, kind, e, n):
            c.name, c.kind, c.easting, c.northing = name, kind, e, n
            c.save()
            changed += 1
    gone = [c.pk for key, c in existing.items() if key not in wanted]
    if gone:
        Centroid.objects.filter(pk__in=gone).delete()
        changed += len(gone)
    if changed:
        record(
            actor,
            Action.UPDATE,
            object_type="home_areas",
            object_id=authority.pk,
            authority_id=authority.pk,
            summary=f"Home areas for place planning: {len(wanted)} listed, {changed} changed",
        )
    return changed


FIELDS = (
    "home_area_id",
    "awaiting_since",
    "home_tuition_since",
    "out_of_authority_since",
    "out_of_authority_provider",
)


@transaction.atomic
def save_placement(actor: Actor, child: Child, data: dict[str, Any]) -> Placement:
    area = data.get("home_area") or None
    values = {
        "home_area_id": int(area) if area else None,
        "awaiting_since": data.get("awaiting_since"),
        "home_tuition_since": data.get("home_tuition_since"),
        "out_of_authority_since": data.get("out_of_authority_since"),
        "out_of_authority_provider": data.get("out_of_authority_provider", ""),
    }
    found = Placement.objects.select_for_update().filter(child=child).first()
    if found is not None and all(getattr(found, k) == v for k, v in values.items()):
        return found
    if found is None:
        found = Placement(child=child, **values)
    else:
        for k, v in values.items():
            setattr(found, k, v)
        found.version += 1
    found.updated_at, found.updated_by = timezone.now(), actor.user
    found.save()
    record(
        actor,
        Action.UPDATE,
        obj=child,
        summary="Placement facts for place planning changed",
        detail={"fields": [k for k in FIELDS if values[k] is not None and values[k] != ""]},
    )
    return found
