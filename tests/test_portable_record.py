"""The portable record (ADR 21): the published schema, export, the API, import into another
authority, the round trip that changes nothing, and malformed files refused with 0 rows changed."""

import copy
import html
import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.profile_helpers import complete_profile, day, step_data
from vsend.audit.models import Action, AuditEvent
from vsend.children.models import Child, Enrolment, Transfer
from vsend.organisations.models import YearGroup
from vsend.profiles.models import (
    DomainRating,
    OutcomeReview,
    Profile,
    SupportAction,
    SupportOutcome,
)
from vsend.records.validation import MAX_BYTES, schema

ROOT = Path(__file__).resolve().parent.parent
MODELS = (
    Child,
    Enrolment,
    Transfer,
    Profile,
    DomainRating,
    SupportOutcome,
    SupportAction,
    OutcomeReview,
)


def _rows() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


def _two_profiles(client, child) -> None:
    """A finalised profile, then its review (with the outcome reviewed), finalised."""
    first = complete_profile(client, child)
    client.post(reverse("profiles:review", kwargs={"pk": first}))
    second = Profile.objects.get(child=child, number=2)
    outcome = Profile.objects.get(pk=first).outcomes.get()
    for step in ("about", "needs", "readiness", "home", "plan"):
        extra = day("assessment_date", date(2026, 11, 20)) if step == "about" else {}
        if step == "plan":
            extra = {f"review__{outcome.pk}": "partly", f"reviewnote__{outcome.pk}": "Most days"}
        r = client.post(
            reverse("profiles:step", kwargs={"pk": second.pk, "step": step}),
            step_data(step, second.pk, **extra),
        )
        assert r.status_code == 302
    r = client.post(
        reverse("profiles:finalise", kwargs={"pk": second.pk}),
        {"lock_version": str(Profile.objects.get(pk=second.pk).lock_version)},
    )
    assert r.status_code == 302


@pytest.fixture
def exported(world, as_user) -> dict:
    _two_profiles(as_user("sendco"), world.child)
    response = as_user("sendco").get(reverse("records:export", kwargs={"pk": world.child.pk}))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    return json.loads(response.content)


def _import(client, doc_or_bytes, setting, **extra):
    data = doc_or_bytes
    if not isinstance(data, bytes):
        data = json.dumps(data).encode()
    return client.post(
        reverse("records:import"),
        {
            "record": SimpleUploadedFile("record.json", data, "application/json"),
            "setting": str(setting.pk),
            "year": "",
            **extra,
        },
    )


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_the_published_schema_is_the_one_used_and_is_valid():
    published = json.loads((ROOT / "docs" / "schema" / "child-record-v1.json").read_text())
    assert published == schema()
    jsonschema.Draft202012Validator.check_schema(published)


def test_the_export_holds_the_history_and_matches_the_schema(world, exported):
    jsonschema.Draft202012Validator(
        schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(exported)
    assert exported["child"]["upn"] == world.child.upn
    assert [p["number"] for p in exported["profiles"]] == [1, 2]
    first, second = exported["profiles"]
    assert first["framework"]["id"] and first["framework"]["version"]
    assert first["superseded_on"] == "2026-11-20"
    assert first["pupil_views"]["aspirations"] == "To be a train driver"
    assert first["family_views"] == "Mornings are hard"
    assert len(first["ratings"]) == 5 and first["plan"]["outcomes"][0]["what"]
    assert second["review"] == [{"outcome": 0, "result": "partly", "note": "Most days"}]
    assert exported["census"]["sen_provision"] == "K"
    assert exported["settings"][0]["name"] == "Setting A1"
    assert AuditEvent.objects.filter(
        action=Action.VIEW, child_id=world.child.pk, summary="Portable record exported"
    ).exists()


def test_the_api_returns_the_same_document(world, exported, as_user):
    response = as_user("sendco").get(reverse("api:child-record", kwargs={"pk": world.child.pk}))
    assert response.status_code == 200
    api = response.json()
    for doc in (api, exported):
        doc.pop("exported_at")
    assert api == exported


def test_export_then_import_changes_nothing(world, exported, as_user):
    before = _rows()
    for _ in range(2):
        response = _import(as_user("sendco"), exported, world.setting)
        assert response.status_code == 200
        assert "nothing has changed" in _text(response), _text(response)[:3000]
        assert _rows() == before
    row = AuditEvent.objects.filter(object_type="record_import").last()
    assert row.detail["profiles_unchanged"] == [1, 2] and row.detail["profiles_added"] == []


def test_import_into_another_authority_brings_the_whole_history(world, exported, as_user):
    YearGroup.objects.create(setting=world.far_setting, code="3", name="Year 3", position=5)
    client = as_user("other_authority")
    response = _import(
        client, exported, world.far_setting, year="3", **day("started_on", date(2027, 1, 5))
    )
    assert response.status_code == 200 and "Record imported" in _text(response), _text(response)[
        :3000
    ]
    moved = Child.objects.get(authority=world.other_authority, upn=world.child.upn)
    assert moved.pk != world.child.pk
    assert Transfer.objects.get(child=moved).route == Transfer.Route.RECORD
    again = client.get(reverse("records:export", kwargs={"pk": moved.pk})).json()
    assert again["profiles"] == exported["profiles"]
    assert again["child"] == exported["child"]
    # And importing the same file there again changes nothing.
    before = _rows()
    assert "nothing has changed" in _text(_import(client, exported, world.far_setting))
    assert _rows() == before


def test_a_new_child_needs_a_year_group_and_first_day(world, exported, as_user):
    YearGroup.objects.create(setting=world.far_setting, code="3", name="Year 3", position=5)
    before = _rows()
    response = _import(as_user("other_authority"), exported, world.far_setting)
    assert "is new to Setting B1: enter their year group and first day there" in _text(response)
    assert _rows() == before


def test_a_upn_held_for_a_child_the_user_cannot_see_says_nothing_about_them(
    world, exported, as_user
):
    before = _rows()
    response = _import(as_user("other_setting"), exported, world.other_setting)
    text = _text(response)
    assert "This UPN cannot be saved" in text and "contact Authority A" in text
    assert "Setting A1" not in text
    assert _rows() == before
    assert AuditEvent.objects.filter(
        action=Action.ACCESS_REFUSED, detail__reason="upn_in_use", child_id=None
    ).exists()


def test_a_profile_that_differs_stops_the_import(world, exported, as_user):
    changed = copy.deepcopy(exported)
    changed["profiles"][1]["ratings"][0]["need_evidence"] = "Something else"
    before = _rows()
    text = _text(_import(as_user("sendco"), changed, world.setting))
    assert "Profile 2 in the file is different from profile 2 recorded here" in text
    assert _rows() == before


def _nested(depth: int) -> bytes:
    return (
        b'{"record_format": "vsend-child-record", "version": 1, "x": '
        + b"[" * depth
        + b"]" * depth
        + b"}"
    )


def _mutate(doc: dict, path: str, value) -> dict:
    out = copy.deepcopy(doc)
    *parents, last = path.split(".")
    target = out
    for p in parents:
        target = target[int(p)] if p.isdigit() else target[p]
    if value is KeyError:
        del target[last]
    elif last.isdigit():
        target[int(last)] = value
    else:
        target[last] = value
    return out


MALFORMED = [
    (
        "huge",
        lambda d: b" " * (MAX_BYTES + 10) + b"{}",
        "The selected file must be smaller than 2 MB",
    ),
    ("deeply nested", lambda d: _nested(100_000), "nested more deeply than the format allows"),
    ("not JSON", lambda d: b"{not json", "The file is not valid JSON"),
    ("empty", lambda d: b"", "The selected file is empty"),
    ("not UTF-8", lambda d: "é".encode("latin-1") * 5, "it is not UTF-8 text"),
    ("a list", lambda d: b"[]", "not a vsend portable record"),
    (
        "NaN",
        lambda d: json.dumps(d).replace('"need_level": 3', '"need_level": NaN').encode(),
        "The file is not valid JSON",
    ),
    ("wrong version", lambda d: _mutate(d, "version", 2), "this vsend reads version 1"),
    ("wrong format", lambda d: _mutate(d, "record_format", "other"), "not a vsend portable record"),
    (
        "number as text",
        lambda d: _mutate(d, "profiles.0.number", "1"),
        "profiles[0].number: must be integer",
    ),
    (
        "level as text",
        lambda d: _mutate(d, "profiles.0.ratings.0.need_level", "high"),
        "profiles[0].ratings[0].need_level",
    ),
    ("missing child", lambda d: _mutate(d, "child", KeyError), "'child' is missing"),
    ("unknown field", lambda d: _mutate(d, "child.shoe_size", 3), "shoe_size"),
    ("bad date", lambda d: _mutate(d, "child.date_of_birth", "2018-02-30"), "child.date_of_birth"),
    (
        "unknown framework",
        lambda d: _mutate(d, "profiles.0.framework.id", "made-up"),
        "does not have the framework made-up",
    ),
    (
        "unknown framework version",
        lambda d: _mutate(d, "profiles.1.framework.version", "9.9.9"),
        "version 9.9.9",
    ),
    (
        "level above the scale",
        lambda d: _mutate(d, "profiles.0.ratings.0.need_level", 19),
        "above the framework's highest level",
    ),
    (
        "unknown domain",
        lambda d: _mutate(d, "profiles.0.ratings.0.domain", "flying"),
        "'flying' is not a domain",
    ),
    ("bad UPN check letter", lambda d: _mutate(d, "child.upn", "A925200018001"), "child.upn"),
    (
        "unknown census code",
        lambda d: _mutate(d, "census.primary_need", "XYZ"),
        "census.primary_need",
    ),
    ("profiles out of order", lambda d: _mutate(d, "profiles.0.number", 3), "numbered 1, 2, 3"),
    (
        "review of a missing outcome",
        lambda d: _mutate(d, "profiles.1.review.0.outcome", 7),
        "no such outcome",
    ),
    (
        "text too long",
        lambda d: _mutate(d, "profiles.0.family_views", "x" * 10_001),
        "profiles[0].family_views: too long",
    ),
    (
        "too many profiles",
        lambda d: _mutate(d, "profiles", d["profiles"] * 51),
        "profiles: too long",
    ),
]


@pytest.mark.parametrize(("name", "make", "message"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_a_malformed_record_is_refused_clearly_and_changes_nothing(
    name, make, message, world, exported, as_user
):
    before = _rows()
    response = _import(as_user("sendco"), make(exported), world.setting)
    assert response.status_code == 200, name
    text = _text(response)
    assert message in text, (name, text[text.find("govuk-error-summary") :][:2000])
    assert _rows() == before, name


def test_an_id_past_64_bits_is_not_found(world, as_user):
    for url in (f"/api/v1/children/{2**63}/record", f"/records/children/{2**63}/record.json"):
        assert as_user("sendco").get(url).status_code == 404, url


def test_a_teacher_may_read_the_record_but_not_take_a_copy_and_the_family_may(world, as_user):
    url = reverse("records:export", kwargs={"pk": world.child.pk})
    assert as_user("teacher").get(url).status_code == 403
    response = as_user("parent").get(url)
    assert response.status_code == 200 and response.json()["child"]["first_name"] == "Amelia"


def test_the_census_sen_history_travels_with_the_record(world, as_user):
    from vsend.exchange.models import SENStatusPeriod

    for started, provision in ((date(2023, 9, 4), "K"), (date(2025, 1, 6), "E")):
        SENStatusPeriod.objects.create(child=world.child, provision=provision, started_on=started)
    _two_profiles(as_user("sendco"), world.child)
    doc = as_user("sendco").get(reverse("records:export", kwargs={"pk": world.child.pk})).json()
    assert doc["census"]["history"] == [
        {"start_date": "2023-09-04", "sen_provision": "K"},
        {"start_date": "2025-01-06", "sen_provision": "E"},
    ]
    YearGroup.objects.create(setting=world.far_setting, code="3", name="Year 3", position=5)
    client = as_user("other_authority")
    _import(client, doc, world.far_setting, year="3", **day("started_on", date(2027, 1, 5)))
    moved = Child.objects.get(authority=world.other_authority, upn=world.child.upn)
    again = client.get(reverse("records:export", kwargs={"pk": moved.pk})).json()
    assert again["census"]["history"] == doc["census"]["history"]
    before = SENStatusPeriod.objects.count()
    assert "nothing has changed" in _text(_import(client, doc, world.far_setting))
    assert SENStatusPeriod.objects.count() == before
