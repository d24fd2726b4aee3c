"""Loading an authority's settings from the public register (GIAS): preview, confirm, again."""

from pathlib import Path

import pytest
from django.urls import reverse

from vsend.audit.models import AuditEvent
from vsend.organisations import gias
from vsend.organisations.models import Setting, SettingsImport, SettingStatus, SettingType

SAMPLE = Path(__file__).parent / "data" / "gias_extract_925.csv"
FIELDS = [
    "name",
    "establishment_number",
    "setting_type",
    "status",
    "opened_on",
    "closed_on",
    "postcode",
    "easting",
]


def _text() -> str:
    return SAMPLE.read_bytes().decode("cp1252")


def _upload(client, world, data: bytes, name: str = "extract.csv", authority=None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    la = authority or world.authority
    return client.post(
        reverse("organisations:import", kwargs={"pk": la.pk}),
        {
            "extract": SimpleUploadedFile(name, data, content_type="text/csv"),
            "locality": la.localities.first().pk,
        },
    )


def _load(client, world, data: bytes):
    response = _upload(client, world, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    preview = client.get(response.url)
    confirmed = client.post(response.url)
    return preview, confirmed


def _snapshot() -> dict[str, tuple]:
    return {
        s.urn: tuple(getattr(s, f) for f in FIELDS) + (s.trust_id, s.locality_id)
        for s in Setting.objects.all()
    }


def test_the_sample_is_windows_1252_with_the_register_columns():
    data = SAMPLE.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the curly apostrophe is one byte, as GIAS writes it
    extract = gias.read_extract(data, "925")
    assert {r["urn"] for r in extract.records} == {
        "120001",
        "120002",
        "120003",
        "120004",
        "120005",
        "120006",
        "120008",
    }
    assert extract.other_authorities == 1
    assert extract.not_held == ["Row 8: URN 120007, type 'Secure units'"]
    kinds = {r["urn"]: r["setting_type"] for r in extract.records}
    assert kinds["120001"] == SettingType.PRIMARY
    assert kinds["120002"] == SettingType.SECONDARY
    assert kinds["120003"] == SettingType.SPECIAL
    assert kinds["120004"] == SettingType.EARLY_YEARS
    assert kinds["120005"] == SettingType.ALTERNATIVE_PROVISION
    assert kinds["120008"] == SettingType.POST_16
    numbers = {r["urn"]: r.get("establishment_number") for r in extract.records}
    assert numbers["120001"] == "2001" and numbers["120002"] == "4001"


def test_load_preview_confirm_then_the_same_file_changes_nothing(world, as_user):
    client = as_user("la_admin")
    preview, confirmed = _load(client, world, SAMPLE.read_bytes())
    page = preview.content.decode()
    assert "St Mary’s Catholic Academy" in page
    assert "Row 8: URN 120007, type &#39;Secure units&#39;" in page
    assert confirmed.status_code == 200
    assert "6 added, 0 changed, 0 closed" in confirmed.content.decode()
    added = Setting.objects.filter(authority=world.authority, urn__startswith="12")
    assert added.count() == 6  # the closed junior school is not added
    assert not Setting.objects.filter(urn="130001").exists()  # another authority's
    academy = Setting.objects.get(urn="120002")
    assert academy.trust.name == "Our Lady of Lourdes Catholic Academy Trust"
    assert academy.postcode == "EX1 2BB" and academy.easting == 497600
    assert academy.establishment_number == "4001"
    assert Setting.objects.get(urn="120001").establishment_number == "2001"
    event = AuditEvent.objects.filter(object_type="settings_import").get()
    assert event.detail["added"] == 6 and event.authority_id == world.authority.pk

    before = _snapshot()
    preview, confirmed = _load(client, world, SAMPLE.read_bytes())
    assert "already match this file" in preview.content.decode()
    assert "0 added, 0 changed, 0 closed" in confirmed.content.decode()
    assert _snapshot() == before
    assert AuditEvent.objects.filter(object_type="settings_import").last().detail["changed"] == 0


def test_next_months_file_changes_only_what_changed(world, as_user):
    client = as_user("la_admin")
    _load(client, world, SAMPLE.read_bytes())
    before = _snapshot()
    text = _text().replace("Northgate Primary School", "Northgate Primary Academy")
    maintained = "Pupil referral unit,4,Local authority maintained schools"
    text = text.replace(
        f"{maintained},1,Open,,Not applicable,01-04-2008,,Not applicable,",
        f"{maintained},2,Closed,,Not applicable,01-04-2008,,Not applicable,31-03-2027",
    )
    preview, confirmed = _load(client, world, text.encode("cp1252"))
    page = preview.content.decode()
    assert "Northgate Primary School" in page and "Northgate Primary Academy" in page
    assert "31 March 2027" in page
    assert "1 added" not in confirmed.content.decode()
    assert "0 added, 1 changed, 1 closed" in confirmed.content.decode()
    after = _snapshot()
    differs = {urn for urn in after if after[urn] != before[urn]}
    assert differs == {"120001", "120005"}
    assert Setting.objects.get(urn="120005").status == SettingStatus.CLOSED


def _bad_row(text: str, old: str, new: str) -> bytes:
    assert old in text
    return text.replace(old, new, 1).encode("cp1252")


def test_the_establishment_number_is_filled_in_but_a_blank_one_leaves_it_as_held(world, as_user):
    client = as_user("la_admin")
    _load(client, world, SAMPLE.read_bytes())
    Setting.objects.filter(urn="120001").update(establishment_number="")
    preview, confirmed = _load(client, world, SAMPLE.read_bytes())
    assert "DfE establishment number" in preview.content.decode()
    assert "0 added, 1 changed, 0 closed" in confirmed.content.decode()
    assert Setting.objects.get(urn="120001").establishment_number == "2001"
    before = _snapshot()
    text = _text().replace("120001,925,Exampleshire,2001,", "120001,925,Exampleshire,,")
    preview, confirmed = _load(client, world, text.encode("cp1252"))
    assert "0 added, 0 changed, 0 closed" in confirmed.content.decode()
    assert _snapshot() == before


BAD_FILES = {
    "establishment number not 4 digits": (
        lambda: _bad_row(_text(), "120003,925,Exampleshire,7001,", "120003,925,Exampleshire,70,"),
        "Row 4: URN 120003: EstablishmentNumber &#39;70&#39; is not 4 digits",
    ),
    "unknown type": (
        lambda: _bad_row(_text(), "Community special school", "Space academy"),
        "establishment type &#39;Space academy&#39; is not one vsend knows",
    ),
    "missing URN": (
        lambda: _bad_row(_text(), "120004,925", ",925"),
        "Row 5: it has no URN",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_file_with_a_bad_row_is_shown_with_the_row_and_loads_nothing(case, world, as_user):
    client = as_user("la_admin")
    make, message = BAD_FILES[case]
    before = _snapshot()
    preview, confirmed = _load(client, world, make())
    assert message in preview.content.decode()
    assert "Load these settings" not in preview.content.decode()
    assert "nothing has been loaded" in confirmed.content.decode()
    assert _snapshot() == before
    assert not AuditEvent.objects.filter(object_type="settings_import").exists()


UNREADABLE = {
    "wrong encoding": (_text().encode("utf-16"), "not in a text encoding vsend can read"),
    "not a CSV (a spreadsheet)": (b"PK\x03\x04" + b"\x00" * 200, "not a CSV file"),
    "not a CSV (prose)": (
        b"Dear colleague,\nplease find the schools attached.\n",
        "no &#39;URN&#39;",
    ),
    "20 MB of noise": (bytes(range(256)) * (20 * 4096), "smaller than 10 MB"),
    "undecodable bytes": (b"URN,\x81\x8d\x8f\n" * 10, "not in a text encoding"),
}


@pytest.mark.parametrize("case", list(UNREADABLE))
def test_an_unreadable_file_is_refused_with_its_message(case, world, as_user):
    data, message = UNREADABLE[case]
    before = _snapshot()
    response = _upload(as_user("la_admin"), world, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    assert not SettingsImport.objects.exists()
    assert _snapshot() == before


def test_too_many_rows_are_refused(world, monkeypatch):
    monkeypatch.setattr(gias, "MAX_ROWS", 3)
    with pytest.raises(gias.UnreadableFile, match="more than 3 rows"):
        gias.read_extract(SAMPLE.read_bytes(), "925")


def test_an_la_administrator_cannot_load_into_another_authority(world, as_user):
    other = as_user("other_authority")  # the administrator of authority B
    response = _upload(other, world, SAMPLE.read_bytes(), authority=world.authority)
    assert response.status_code == 404
    assert not SettingsImport.objects.exists()
    first = _upload(as_user("la_admin"), world, SAMPLE.read_bytes())
    assert other.post(first.url).status_code == 404  # another user's upload is not theirs
    assert not Setting.objects.filter(urn__startswith="12").exists()


def test_only_the_own_la_code_rows_are_loaded(world, as_user):
    client = as_user("other_authority")
    response = _upload(client, world, SAMPLE.read_bytes(), authority=world.other_authority)
    client.post(response.url)
    urns = Setting.objects.filter(authority=world.other_authority).values_list("urn", flat=True)
    assert set(urns) == {"100003", "130001"}
    assert not Setting.objects.filter(urn__startswith="12").exists()


def test_a_file_over_the_upload_limit_is_stopped_as_it_arrives(world, as_user, settings):
    """Stopped by the upload handler, not read whole and measured afterwards."""
    settings.FILE_UPLOAD_LIMIT_BYTES = 1000
    data = SAMPLE.read_bytes()
    assert 1000 < len(data) < gias.MAX_BYTES
    response = _upload(as_user("la_admin"), world, data)
    assert "must be smaller than 1,000 bytes" in response.content.decode()
    assert not SettingsImport.objects.exists()
