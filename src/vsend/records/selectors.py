"""The portable record of one child (docs/schema/child-record-v1.json), built from what vsend
holds. The caller has already opened the child through the access policy; this reads only that
child's own rows."""

from datetime import UTC, date, datetime
from typing import Any

from django.utils import timezone

from vsend.children.models import Child
from vsend.profiles.models import Profile, Status

FORMAT = "vsend-child-record"
VERSION = 1


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _moment(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None


def profile_document(profile: Profile) -> dict[str, Any]:
    """One finalised profile as the record holds it (also used to compare on import)."""
    previous_outcomes = (
        [o.pk for o in profile.previous.outcomes.all()] if profile.previous is not None else []
    )
    return {
        "number": profile.number,
        "framework": {
            "id": profile.framework_id,
            "version": profile.framework_version,
            "age_band": profile.age_band,
            "checksum": profile.framework_checksum,
        },
        "age_band_reason": profile.age_band_reason,
        "assessment_date": _day(profile.assessment_date),
        "finalised_at": _moment(profile.finalised_at),
        "superseded_on": _day(profile.superseded_on),
        "review_date": _day(profile.review_date),
        "pupil_views": {
            "strengths": profile.strengths,
            "views": profile.child_views,
            "aspirations": profile.aspirations,
        },
        "family_views": profile.family_views,
        "home_confidence_by_family": profile.home_by_family,
        "ratings": [
            {
                "domain": r.domain,
                "need_level": r.need_level,
                "need_evidence": r.need_evidence,
                "readiness_level": r.readiness_level,
                "readiness_prompts": list(r.readiness_prompts),
                "readiness_note": r.readiness_note,
                "confidence_level": r.confidence_level,
                "confidence_note": r.confidence_note,
            }
            for r in sorted(profile.ratings.all(), key=lambda r: r.domain)
        ],
        "plan": {
            "outcomes": [
                {
                    "domain": o.domain,
                    "what": o.what,
                    "how_we_will_know": o.how_we_will_know,
                    "by_when": _day(o.by_when),
                }
                for o in profile.outcomes.all()
            ],
            "actions": [
                {
                    "domain": a.domain,
                    "what": a.what,
                    "who": a.who,
                    "how_often": a.how_often,
                    "starts_on": _day(a.starts_on),
                    "ends_on": _day(a.ends_on),
                }
                for a in profile.actions.all()
            ],
        },
        "review": sorted(
            (
                {
                    "outcome": previous_outcomes.index(rv.outcome_id),
                    "result": rv.result,
                    "note": rv.note,
                }
                for rv in profile.outcome_reviews.all()
                if rv.outcome_id in previous_outcomes
            ),
            key=lambda rv: rv["outcome"],
        ),
    }


def finalised_profiles(child_id: int) -> list[Profile]:
    return list(
        Profile.objects.filter(child_id=child_id, status=Status.FINALISED)
        .select_related("previous")
        .prefetch_related("ratings", "outcomes", "actions", "outcome_reviews", "previous__outcomes")
        .order_by("number")
    )


def child_document(child: Child) -> dict[str, Any]:
    """The whole portable record of a child the caller may export."""
    authority = child.authority
    enrolments = child.enrolments.select_related("setting").order_by("started_on", "pk")
    return {
        "record_format": FORMAT,
        "version": VERSION,
        "exported_at": _moment(timezone.now().replace(microsecond=0)),
        "exported_from": {
            "service": "vsend",
            "authority": authority.name,
            "authority_code": authority.code,
        },
        "child": {
            "first_name": child.first_name,
            "last_name": child.last_name,
            "preferred_name": child.preferred_name,
            "date_of_birth": _day(child.date_of_birth),
            "sex": child.sex,
            "upn": child.upn,
            "uln": child.uln,
            "home_language": child.home_language,
        },
        "census": {
            "as_at": _day(timezone.localdate()),
            "sen_provision": child.sen_provision,
            "primary_need": child.primary_need,
            "secondary_need": child.secondary_need,
            "history": census_history(child.pk),
        },
        "settings": [
            {
                "name": e.setting.name,
                "urn": e.setting.urn or "",
                "started_on": _day(e.started_on),
                "ended_on": _day(e.ended_on),
                "registration": e.registration,
            }
            for e in enrolments
        ],
        "profiles": [profile_document(p) for p in finalised_profiles(child.pk)],
    }


def census_history(child_id: int) -> list[dict[str, str]]:
    """The census SEN provision the child had from each date, oldest first, as registers and
    Common Transfer Files recorded it (at most the schema's 100 entries, the latest kept)."""
    from vsend.exchange.models import SENStatusPeriod

    periods = (
        SENStatusPeriod.objects.filter(child_id=child_id, started_on__isnull=False)
        .order_by("-started_on", "-id")
        .values_list("started_on", "provision")[:100]
    )
    seen: set[tuple[str, str]] = set()
    history: list[dict[str, str]] = []
    for started_on, provision in reversed(list(periods)):
        if started_on is None:  # filtered out above; for the type checker
            continue
        key = (started_on.isoformat(), provision)
        if key not in seen:
            seen.add(key)
            history.append({"start_date": key[0], "sen_provision": provision})
    return history
