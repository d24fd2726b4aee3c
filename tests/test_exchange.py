"""Registers in and out: column recognition, preview, apply, round trips, CTFs, scope."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from vsend.audit.models import AuditEvent
from vsend.audit.services import Actor
from vsend.children.models import Child, Enrolment
from vsend.exchange import columns, ctf, exports, reading, services
from vsend.exchange.models import ColumnMapping, ImportStatus, RegisterImport, SENStatusPeriod
from vsend.exchange.services.apply import ImportRefused, apply_import
from vsend.organisations.models import Setting

DATA = Path(__file__).parent / "data"
SAMPLES = [
    "register_arbor.csv",
    "register_sims.csv",
    "register_scholarpack.csv",
    "register_bromcom.xlsx",
]


def _start(world, name: str, data: bytes | None = None, persona: str = "sendco"):
    return services.start_import(
        user=world.users[persona],
        setting=world.setting,
        file_name=name,
        data=data if data is not None else (DATA / name).read_bytes(),
    )


def _ready(world, imp):
    if imp.status == ImportStatus.MAPPING:
        services.confirm_mapping(actor=Actor(user=imp.user), imp=imp, mapping=imp.mapping)
    return imp


def _load(world, name: str, data: bytes | None = None, end_missing: bool = False):
    imp = _ready(world, _start(world, name, data))
    imp.end_missing = end_missing
    imp.save()
    return apply_import(actor=Actor(user=imp.user), pk=imp.pk)


@pytest.mark.parametrize("name", SAMPLES)
def test_it_recognises_each_mis_export_columns(name):
    _, table = reading.read_register((DATA / name).read_bytes(), name)
    mapping = columns.recognise(table.headers)
    assert set(columns.REQUIRED) <= set(mapping), mapping
    assert {"year_group", "reg_group", "sen_provision", "primary_need"} <= set(mapping)


@pytest.mark.parametrize("name", SAMPLES)
def test_it_previews_then_loads_each_sample_in_one_audited_import(world, name):
    imp = _ready(world, _start(world, name))
    plan = services.plan_import(imp)
    assert plan.problems == []
    assert len(plan.added) == 6 and plan.changed == [] and plan.unchanged == 0
    assert {e.child for e in plan.leaving} == {
        world.child,
        world.classmate,
        world.young_person_child,
    }
    before = AuditEvent.objects.count()
    done = apply_import(actor=Actor(user=world.users["sendco"]), pk=imp.pk)
    assert done.counts["added"] == 6
    assert AuditEvent.objects.count() == before + 1
    row = AuditEvent.objects.order_by("-pk").first()
    assert row.object_type == "register_import" and row.detail["added"] == 6
    effie = Child.objects.get(first_name="Effie")
    assert (effie.sen_provision, effie.primary_need) == ("K", "NSA")
    dev = Child.objects.get(first_name="Dev")
    assert dev.primary_need == "DS"
    bram = Child.objects.get(first_name="Bram")
    e = bram.enrolments.get()
    assert (e.setting, e.year_group.code, e.school_class.name) == (world.setting, "4", "4 Ash")
    # Nobody was taken off roll: the box was not ticked.
    assert Enrolment.objects.current().filter(setting=world.setting).count() == 9


def test_the_second_import_of_the_same_file_changes_nothing(world):
    _load(world, "register_sims.csv")
    again = _start(world, "register_sims.csv")
    assert again.status == ImportStatus.READY  # the remembered mapping fits: no question asked
    plan = services.plan_import(again)
    assert (len(plan.added), len(plan.changed), plan.unchanged) == (0, 0, 6)
    assert not plan.changes_anything()


def test_a_change_is_shown_field_by_field_and_applied(world):
    _load(world, "register_sims.csv")
    text = (DATA / "register_sims.csv").read_text().replace(",3 Oak,K,SLCN,", ",3 Elm,E,SLCN,")
    imp = _start(world, "changed.csv", text.encode())
    plan = services.plan_import(imp)
    (child, _, changes) = plan.changed[0]
    assert child.first_name == "Ada"
    assert [(c.label, c.old, c.new) for c in changes] == [
        ("Registration group", "3 Oak", "3 Elm"),
        ("SEN provision", "K (SEN support)", "E (Education, health and care plan)"),
    ]
    apply_import(actor=Actor(user=world.users["sendco"]), pk=imp.pk)
    child.refresh_from_db()
    assert child.sen_provision == "E" and child.version == 2


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(world, fmt):
    _load(world, "register_sims.csv")
    data, name = exports.export_register(
        actor=Actor(user=world.users["sendco"]), setting=world.setting, fmt=fmt
    )
    imp = _ready(world, _start(world, name, data))
    assert imp.mapping == {c.field: c.header for c in columns.COLUMNS}
    plan = services.plan_import(imp)
    assert plan.problems == []
    assert (len(plan.added), len(plan.changed), len(plan.leaving)) == (0, 0, 0)
    assert plan.unchanged == 9


def test_ending_the_enrolments_of_children_not_in_the_file(world):
    _load(world, "register_sims.csv", end_missing=True)
    on_roll = Enrolment.objects.current().filter(setting=world.setting)
    assert on_roll.count() == 6 and not on_roll.filter(child=world.child).exists()


def test_a_child_on_roll_elsewhere_is_not_claimed(world):
    text = (
        "Legal Surname,Legal Forename,DOB,Gender\n"
        "Test,Cara,05/05/2017,F\n"
        "Newchild,Zed,01/01/2018,M\n"
    )
    imp = _ready(world, _start(world, "r.csv", text.encode()))
    plan = services.plan_import(imp)
    assert plan.elsewhere == ["Row 2: Cara Test is on roll at Setting A2: needs a transfer"]
    apply_import(actor=Actor(user=world.users["sendco"]), pk=imp.pk)
    cara = world.other_setting_child
    assert list(
        Enrolment.objects.current().filter(child=cara).values_list("setting", flat=True)
    ) == [world.other_setting.pk]
    assert Child.objects.filter(first_name="Zed").exists()


def test_a_child_is_matched_on_upn_before_name(world):
    text = (
        f"UPN,Legal Surname,Legal Forename,DOB,Gender\n{world.child.upn},Renamed,Amy,10/01/2018,F\n"
    )
    imp = _ready(world, _start(world, "r.csv", text.encode()))
    plan = services.plan_import(imp)
    assert [c for c, _, _ in plan.changed] == [world.child]


def test_a_file_with_a_problem_cannot_be_applied(world):
    text = "Legal Surname,Legal Forename,DOB,Gender,SEN provision,Primary need\nA,B,01/01/2018,F,E,NSA\n"
    imp = _ready(world, _start(world, "r.csv", text.encode()))
    plan = services.plan_import(imp)
    assert plan.problems == [
        "Row 2, Primary need: NSA (no specialist assessment of need) is used only with SEN "
        "provision K"
    ]
    with pytest.raises(ImportRefused):
        apply_import(actor=Actor(user=world.users["sendco"]), pk=imp.pk)
    assert not Child.objects.filter(last_name="A").exists()


def test_ctf_import_brings_sen_history_and_export_import_changes_nothing(world):
    plan = services.plan_import(_start(world, "ctf_joining.xml"))
    assert plan.problems == []  # Hana's need ranked 3 is a note
    assert plan.notes == [
        "Pupil 2 (Hana Storybook): the need ranked 3 (SLCN) is not loaded: vsend keeps the "
        "primary and secondary needs only"
    ]
    _load(world, "ctf_joining.xml")
    hana = Child.objects.get(first_name="Hana")
    assert (hana.sen_provision, hana.primary_need, hana.secondary_need) == ("E", "PD", "VI")
    assert list(SENStatusPeriod.objects.filter(child=hana).values_list("provision", flat=True)) == [
        "N",
        "E",
    ]
    data, _ = exports.export_ctf(
        actor=Actor(user=world.users["sendco"]),
        setting=world.setting,
        child_ids=[c.pk for c in Child.objects.all()],
    )
    records, problems, notes = ctf.read_ctf(data, today=timezone.localdate())
    assert problems == [] and notes == [] and len(records) == 5
    imp = _start(world, "out.xml", data)
    plan = services.plan_import(imp)
    assert plan.problems == [] and plan.changed == [] and plan.added == []
    assert plan.unchanged == 5


def test_the_mapping_is_remembered_per_setting(world):
    imp = _start(world, "register_arbor.csv")
    assert imp.status == ImportStatus.MAPPING
    services.confirm_mapping(actor=Actor(user=imp.user), imp=imp, mapping=imp.mapping)
    assert (
        ColumnMapping.objects.get(setting=world.setting).mapping["last_name"] == "Legal Last Name"
    )
    assert _start(world, "register_arbor.csv").status == ImportStatus.READY


def test_the_journey_through_the_pages(world, as_user):
    client = as_user("sendco")
    page = reverse("exchange:setting", kwargs={"pk": world.setting.pk})
    with open(DATA / "register_sims.csv", "rb") as f:
        response = client.post(page, {"register": f})
    assert response.status_code == 302 and "/columns/" in response.url
    imp = RegisterImport.objects.get()
    response = client.post(
        response.url, {c.field: imp.mapping.get(c.field, "") for c in columns.COLUMNS}
    )
    assert response.status_code == 302
    preview = client.get(response.url)
    assert b"Children to add" in preview.content and b"Ada Testwell" in preview.content
    done = client.post(response.url, {}, follow=True)
    assert b"Register loaded" in done.content
    assert Child.objects.filter(last_name="Testwell").exists()


def test_a_large_import_runs_as_a_job_with_a_progress_page(world, as_user, monkeypatch):
    monkeypatch.setattr(services, "IN_REQUEST_ROWS", 2)
    imp = _ready(world, _start(world, "register_sims.csv"))
    client = as_user("sendco")
    url = reverse("exchange:preview", kwargs={"pk": world.setting.pk, "import_pk": imp.pk})
    response = client.post(url, {})
    assert response.url.endswith("/progress/")
    imp.refresh_from_db()
    assert imp.applied_at is not None and imp.status == ImportStatus.APPLIED  # jobs run at once
    assert b"Register loaded" in client.get(response.url).content


def test_an_upload_belongs_to_its_uploader_and_setting(world, as_user):
    imp = _ready(world, _start(world, "register_sims.csv"))
    url = reverse("exchange:preview", kwargs={"pk": world.setting.pk, "import_pk": imp.pk})
    assert as_user("la_admin").get(url).status_code == 404
    assert as_user("other_setting").get(url).status_code == 404
    other = reverse("exchange:setting", kwargs={"pk": world.other_setting.pk})
    assert as_user("sendco").get(other).status_code == 404
    assert as_user("la_admin").get(other).status_code == 200
    far = reverse("exchange:setting", kwargs={"pk": world.far_setting.pk})
    assert as_user("la_admin").get(far).status_code == 404


def test_a_ctf_without_a_year_group_or_preferred_name_leaves_them_as_they_are(world):
    data = (
        '<?xml version="1.0"?><CTfile><Header/><CTFpupilData><Pupil>'
        f"<UPN>{world.child.upn}</UPN><Surname>Test</Surname><Forename>Amelia</Forename>"
        "<DOB>2018-01-10</DOB><Sex>F</Sex><SENhistory><SEN><SENprovision>K</SENprovision></SEN>"
        "<SENneeds><SENneed><SENtypeRank>1</SENtypeRank><SENtype>ASD</SENtype></SENneed>"
        "</SENneeds></SENhistory></Pupil></CTFpupilData></CTfile>"
    ).encode()
    plan = services.plan_import(_start(world, "amelia.xml", data))
    assert plan.problems == [] and plan.changed == [] and plan.unchanged == 1


def _header(data: bytes) -> dict[str, str]:
    from defusedxml.ElementTree import fromstring

    root = fromstring(data)
    return {
        path: root.findtext(f"Header/{path}")
        for path in (
            "CTFversion",
            "DocumentQualifier",
            "SourceSchool/LEA",
            "SourceSchool/Estab",
            "SourceSchool/URN",
            "SourceSchool/AcademicYear",
            "DestSchool/LEA",
            "DestSchool/Estab",
        )
    }


@pytest.mark.parametrize(
    ("made", "year", "version"),
    [
        ("2023-10-02T09:00", "2023", "23.0"),
        ("2024-08-31T23:00", "2023", "23.0"),  # still the academic year 2023 to 2024
        ("2024-09-01T08:00", "2024", "24.0"),
        ("2026-11-30T14:00", "2026", "26.0"),
    ],
)
def test_a_ctf_names_its_academic_year_school_and_unknown_destination(world, made, year, version):
    from datetime import datetime

    Setting.objects.filter(pk=world.setting.pk).update(establishment_number="2417")
    world.setting.refresh_from_db()
    data = ctf.write_ctf(world.setting, [], now=datetime.fromisoformat(made))
    assert _header(data) == {
        "CTFversion": version,
        "DocumentQualifier": "partial",
        "SourceSchool/LEA": world.setting.authority.code,
        "SourceSchool/Estab": "2417",
        "SourceSchool/URN": world.setting.urn,
        "SourceSchool/AcademicYear": year,
        "DestSchool/LEA": "XXX",
        "DestSchool/Estab": "XXXX",
    }
    assert b"MMM" not in data


def test_the_ctf_export_uses_the_settings_establishment_number(world, as_user):
    Setting.objects.filter(pk=world.setting.pk).update(establishment_number="3052")
    response = as_user("sendco").post(
        reverse("exchange:ctf-export", kwargs={"pk": world.setting.pk}),
        {"children": [str(world.child.pk)]},
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/xml"
    header = _header(response.content)
    assert header["SourceSchool/Estab"] == "3052"
    assert header["CTFversion"] == f"{int(header['SourceSchool/AcademicYear']) % 100}.0"


def test_a_setting_without_an_establishment_number_makes_no_ctf(world, as_user):
    Setting.objects.filter(pk=world.setting.pk).update(establishment_number="")
    world.setting.refresh_from_db()
    url = reverse("exchange:ctf-export", kwargs={"pk": world.setting.pk})
    for user, link in (("sendco", False), ("la_admin", True)):
        client = as_user(user)
        page = client.get(url).content.decode()
        assert "add the 4-digit establishment number" in page and "Download the file" not in page
        assert ("Add the establishment number to" in page) is link
        response = client.post(url, {"children": [str(world.child.pk)]})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        assert "no file has been made" in response.content.decode()
        assert "Content-Disposition" not in response
    with pytest.raises(ctf.NoEstablishmentNumber):
        exports.export_ctf(
            actor=Actor(user=world.users["sendco"]),
            setting=world.setting,
            child_ids=[world.child.pk],
        )
    with pytest.raises(ctf.NoEstablishmentNumber):
        ctf.write_ctf(world.setting, [], now=timezone.localtime())
    assert not AuditEvent.objects.filter(object_type="ctf_export").exists()


def test_needs_ranked_below_secondary_are_noted_not_problems(world, as_user):
    needs = "".join(
        f"<SENneed><SENtypeRank>{rank}</SENtypeRank><SENtype>{code}</SENtype></SENneed>"
        for rank, code in ((3, "SPLD"), (1, "ASD"), (12, "NOTACODE"), (2, "SLCN"))
    )
    data = (
        '<?xml version="1.0"?><CTfile><Header/><CTFpupilData><Pupil>'
        f"<UPN>{world.child.upn}</UPN><Surname>Test</Surname><Forename>Amelia</Forename>"
        "<DOB>2018-01-10</DOB><Sex>F</Sex><SENhistory><SEN><SENprovision>K</SENprovision></SEN>"
        f"<SENneeds>{needs}</SENneeds></SENhistory></Pupil></CTFpupilData></CTfile>"
    ).encode()
    records, problems, notes = ctf.read_ctf(data, today=timezone.localdate())
    assert problems == [] and len(records) == 1
    assert (records[0]["primary_need"], records[0]["secondary_need"]) == ("ASD", "SLCN")
    assert [n[:48] for n in notes] == [
        "Pupil 1 (Amelia Test): the need ranked 3 (SPLD) ",
        "Pupil 1 (Amelia Test): the need ranked 12 (NOTAC",
    ]
    client = as_user("sendco")
    response = client.post(
        reverse("exchange:setting", kwargs={"pk": world.setting.pk}),
        {"register": SimpleUploadedFile("amelia.xml", data)},
    )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert 'id="notes"' in page and "the need ranked 3 (SPLD) is not loaded" in page
    assert 'id="problems"' not in page
