"""Importing a portable record: one transaction, one audit row, nothing half done.

The child is matched in the importing setting's authority: by UPN (and then the date of birth
must agree and the user must already reach the child; otherwise the same words as any UPN
that cannot be used, ADR 10), or, without a UPN, by name and date of birth among the children
the user reaches. A child not matched is added to the importing setting's roll from the date
given, with a "transfer" entry in their history. Profiles already held are compared: the same
ones are left as they are (so exporting and importing again changes nothing), different ones
stop the import with a message naming them.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction

from vsend.accounts.roles import Perm
from vsend.aggregates import events
from vsend.audit.models import Action
from vsend.audit.services import Actor, record
from vsend.children.models import Child, Registration, Transfer
from vsend.children.services import (
    UPN_TAKEN,
    Placement,
    enrol,
    record_transfer,
    report_upn_held_elsewhere,
)
from vsend.frameworks import registry
from vsend.profiles.models import (
    STEPS,
    DomainRating,
    OutcomeReview,
    Profile,
    Status,
    SupportAction,
    SupportOutcome,
)
from vsend.records.selectors import finalised_profiles, profile_document
from vsend.records.validation import RecordInvalid

if TYPE_CHECKING:
    from vsend.accounts.policy import AccessPolicy

# Compared when a profile is already held; the end of a version is set by the one after it.
NOT_COMPARED = ("superseded_on",)


@dataclass
class ImportResult:
    child: Child
    child_added: bool = False
    profiles_added: list[int] = field(default_factory=list)
    profiles_unchanged: list[int] = field(default_factory=list)
    census_added: int = 0

    @property
    def changed(self) -> bool:
        return self.child_added or bool(self.profiles_added) or self.census_added > 0


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _find_child(
    actor: Actor, policy: "AccessPolicy", doc: dict[str, Any], authority_id: int
) -> Child | None:
    person = doc["child"]
    born = date.fromisoformat(person["date_of_birth"])
    if person.get("upn"):
        holder = Child.objects.filter(authority_id=authority_id, upn=person["upn"]).first()
        if holder is None:
            return None
        if holder.date_of_birth != born or not policy.can(Perm.EDIT_PROFILE, holder):
            raise _UpnRefused(holder)
        return holder
    mine = policy.children(Perm.EDIT_PROFILE).filter(
        authority_id=authority_id,
        first_name=person["first_name"],
        last_name=person["last_name"],
        date_of_birth=born,
    )
    return mine.first()


class _UpnRefused(Exception):
    def __init__(self, holder: Child) -> None:
        self.holder = holder


def _same(held: Profile, incoming: dict[str, Any]) -> bool:
    mine = profile_document(held)
    return {k: v for k, v in mine.items() if k not in NOT_COMPARED} == {
        k: v for k, v in incoming.items() if k not in NOT_COMPARED
    }


def _create_profile(
    actor: Actor, child: Child, p: dict[str, Any], previous: Profile | None
) -> Profile:
    fw = p["framework"]
    framework = registry.get(fw["id"], fw["version"], fw["age_band"])
    assert framework is not None  # checked when the file was read
    views = p.get("pupil_views", {})
    profile = Profile.objects.create(
        child=child,
        number=p["number"],
        previous=previous,
        status=Status.FINALISED,
        framework_id=fw["id"],
        framework_version=fw["version"],
        framework_checksum=framework.checksum,
        age_band=fw["age_band"],
        age_band_reason=p.get("age_band_reason", ""),
        assessment_date=date.fromisoformat(p["assessment_date"]),
        strengths=views.get("strengths", ""),
        child_views=views.get("views", ""),
        aspirations=views.get("aspirations", ""),
        family_views=p.get("family_views", ""),
        home_by_family=p.get("home_confidence_by_family", False),
        review_date=_day(p.get("review_date")),
        completed_steps=list(STEPS),
        created_by=actor.user,
        finalised_by=actor.user,
        finalised_at=datetime.fromisoformat(p["finalised_at"]) if p.get("finalised_at") else None,
        superseded_on=_day(p.get("superseded_on")),
    )
    DomainRating.objects.bulk_create(
        DomainRating(
            profile=profile,
            domain=r["domain"],
            need_level=r.get("need_level"),
            need_evidence=r.get("need_evidence", ""),
            readiness_level=r.get("readiness_level"),
            readiness_prompts=r.get("readiness_prompts", []),
            readiness_note=r.get("readiness_note", ""),
            confidence_level=r.get("confidence_level"),
            confidence_note=r.get("confidence_note", ""),
        )
        for r in p["ratings"]
    )
    SupportOutcome.objects.bulk_create(
        SupportOutcome(
            profile=profile,
            position=i,
            domain=o["domain"],
            what=o["what"],
            how_we_will_know=o["how_we_will_know"],
            by_when=date.fromisoformat(o["by_when"]),
        )
        for i, o in enumerate(p["plan"]["outcomes"])
    )
    SupportAction.objects.bulk_create(
        SupportAction(
            profile=profile,
            position=i,
            domain=a["domain"],
            what=a["what"],
            who=a["who"],
            how_often=a["how_often"],
            starts_on=date.fromisoformat(a["starts_on"]),
            ends_on=_day(a.get("ends_on")),
        )
        for i, a in enumerate(p["plan"]["actions"])
    )
    if previous is not None and p.get("review"):
        outcomes = list(previous.outcomes.all())
        OutcomeReview.objects.bulk_create(
            OutcomeReview(
                profile=profile,
                outcome=outcomes[rv["outcome"]],
                result=rv["result"],
                note=rv.get("note", ""),
            )
            for rv in p["review"]
        )
    return profile


def import_record(
    *,
    actor: Actor,
    policy: "AccessPolicy",
    doc: dict[str, Any],
    placement: Placement | None,
    setting: Any,
) -> ImportResult:
    """Apply a record read by validation.parse. RecordInvalid says why nothing was imported."""
    try:
        with transaction.atomic():
            result = _apply(actor, policy, doc, placement, setting)
    except _UpnRefused as refused:
        report_upn_held_elsewhere(actor=actor, holder=refused.holder)
        raise RecordInvalid(
            [UPN_TAKEN.replace("the local authority", str(setting.authority))]
        ) from None
    except IntegrityError:
        raise RecordInvalid(
            ["The file's profiles overlap with profiles recorded here: nothing was imported"]
        ) from None
    return result


def _apply(
    actor: Actor,
    policy: "AccessPolicy",
    doc: dict[str, Any],
    placement: Placement | None,
    setting: Any,
) -> ImportResult:
    authority_id = setting.authority_id
    child = _find_child(actor, policy, doc, authority_id)
    result: ImportResult
    if child is None:
        if placement is None:
            raise RecordInvalid(
                [
                    f"{doc['child']['first_name']} {doc['child']['last_name']} is new to "
                    f"{setting}: enter their year group and first day there"
                ]
            )
        person, census = doc["child"], doc["census"]
        child = Child.objects.create(
            authority_id=authority_id,
            first_name=person["first_name"],
            last_name=person["last_name"],
            preferred_name=person.get("preferred_name", ""),
            date_of_birth=date.fromisoformat(person["date_of_birth"]),
            sex=person["sex"],
            upn=person.get("upn", ""),
            uln=person.get("uln", ""),
            home_language=person.get("home_language", ""),
            sen_provision=census["sen_provision"],
            primary_need=census.get("primary_need", ""),
            secondary_need=census.get("secondary_need", ""),
        )
        enrol(child, placement, Registration.SINGLE)
        record_transfer(actor, child, placement, Transfer.Route.RECORD, None)
        result = ImportResult(child=child, child_added=True)
    else:
        result = ImportResult(child=child)
    held = {p.number: p for p in finalised_profiles(child.pk)}
    drafts = set(child.profiles.filter(status=Status.DRAFT).values_list("number", flat=True))
    problems: list[str] = []
    previous: Profile | None = None
    for p in doc["profiles"]:
        n = p["number"]
        if n in held:
            if _same(held[n], p):
                result.profiles_unchanged.append(n)
            else:
                problems.append(
                    f"Profile {n} in the file is different from profile {n} recorded here"
                )
            previous = held[n]
            continue
        if n in drafts:
            problems.append(f"Profile {n} is a draft here: finish or remove it first")
            continue
        if problems:
            continue
        if previous is not None and previous.superseded_on is None:
            Profile.objects.filter(pk=previous.pk).update(
                superseded_on=date.fromisoformat(p["assessment_date"])
            )
        previous = _create_profile(actor, child, p, previous)
        result.profiles_added.append(n)
    if problems:
        raise RecordInvalid([*problems, "Nothing was imported"])
    result.census_added = _add_census_history(child, doc["census"].get("history", []))
    if result.changed:
        events.announce("record.imported", authority_id=authority_id, child_id=child.pk)
    record(
        actor,
        Action.CREATE if result.changed else Action.VIEW,
        obj=child,
        object_type="record_import",
        summary="Portable record imported"
        + ("" if result.changed else ": everything in it was already recorded"),
        detail={
            "child_added": result.child_added,
            "profiles_added": result.profiles_added,
            "profiles_unchanged": result.profiles_unchanged,
            "census_history_added": result.census_added,
            "setting_id": setting.pk,
        },
    )
    return result


def _add_census_history(child: Child, history: list[dict[str, Any]]) -> int:
    """Census SEN provision periods in the record that are not held yet (so importing the same
    record again adds none)."""
    from vsend.exchange.models import SENStatusPeriod

    held = {
        (d.isoformat(), p)
        for d, p in SENStatusPeriod.objects.filter(child=child).values_list(
            "started_on", "provision"
        )
        if d is not None
    }
    new: list[SENStatusPeriod] = []
    for h in history:
        key = (h["start_date"], h["sen_provision"])
        if key in held:
            continue
        held.add(key)
        new.append(
            SENStatusPeriod(child=child, provision=key[1], started_on=date.fromisoformat(key[0]))
        )
    SENStatusPeriod.objects.bulk_create(new)
    return len(new)
