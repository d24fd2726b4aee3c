"""Provision pages as people use them: from the plan to a group, missed sessions, the maps;
a teacher's reach, audited writes, double submits and bounded inputs."""

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.conftest import _child
from tests.profile_helpers import day
from tests.provision_helpers import world_group
from vsend.audit.models import Action, AuditEvent
from vsend.profiles.models import SupportAction
from vsend.provision.models import MissedSession, Place, ProvisionGroup, StaffRole

TOKEN = "t" * 40


def _action(world) -> SupportAction:
    from tests.test_access_matrix import _profile

    return SupportAction.objects.create(
        profile_id=_profile(world, "child"),
        domain="communication_interaction",
        what="Small-group talk time",
        who="TA",
        how_often="Twice a week",
        starts_on=date(2026, 9, 7),
    )


def test_a_group_for_four_children_from_a_plan_action_once(world, as_user):
    group = world_group(world)
    others = [_child(world.authority, world.setting, n, date(2018, 3, 1)) for n in ("Ola", "Pia")]
    action = _action(world)
    client = as_user("sendco")
    url = reverse("provision:from-action", kwargs={"pk": action.pk})
    assert "Small-group talk time" in client.get(url).content.decode()
    data = {
        "choice": "start",
        "provision": str(group.provision_id),
        "name": "Talk group B",
        **day("starts_on", date(2026, 9, 7)),
        **day("ends_on", date(2027, 3, 26)),
        "children": [str(world.classmate.pk), *(str(c.pk) for c in others)],
        "submission_token": TOKEN,
    }
    first = client.post(url, data)
    second = client.post(url, data)  # the same form posted twice
    assert first.status_code == second.status_code == 302 and first.url == second.url
    made = ProvisionGroup.objects.get(name="Talk group B")
    assert made.places.count() == 4
    assert Place.objects.get(group=made, child=world.child).action == action
    event = AuditEvent.objects.filter(object_type="provisiongroup", action=Action.CREATE).latest(
        "pk"
    )
    assert sorted(event.detail["child_ids"]) == sorted(p.child_id for p in made.places.all())
    # The plan shows the link back to the group.
    summary = client.get(reverse("profiles:summary", kwargs={"pk": action.profile_id}))
    assert "Talk group B" in summary.content.decode()
    assert reverse("provision:from-action", kwargs={"pk": action.pk}) in summary.content.decode()


def test_missed_sessions_in_bulk_and_a_childs_absence(world, as_user):
    group = world_group(world)
    client = as_user("sendco")
    url = reverse("provision:group", kwargs={"pk": group.pk})
    whole = {
        **day("date", date(2026, 10, 6)),
        "reason": "staff_absent",
        "submission_token": "a" * 40,
    }
    assert client.post(url, whole).status_code == 302
    assert client.post(url, whole).status_code == 302  # again: nothing new
    absent = {
        **day("date", date(2026, 10, 13)),
        "reason": "child_absent",
        "children": [str(world.child.pk)],
        "submission_token": "b" * 40,
    }
    client.post(url, absent)
    assert MissedSession.objects.filter(group=group).count() == 2
    page = client.get(url).content.decode()
    assert "Staff absent or redeployed" in page and "(whole group)" in page
    cmap = json.loads(
        client.get(
            reverse("api:child-provision", kwargs={"pk": world.child.pk}) + "?term=autumn-2026"
        ).content
    )
    autumn = cmap["provision"][0]["terms"][1]
    assert autumn["sessions_missed"] == "2.0"
    # A date outside the group's run is refused with the GOV.UK message, the rest kept.
    bad = client.post(url, {**day("date", date(2025, 1, 6)), "reason": "other", "note": "kept"})
    body = bad.content.decode()
    assert bad.status_code == 200 and "must be while the group runs" in body and "kept" in body


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("500.01", "must be 500.00 or less"),
        ("-1", "must be 0 or more"),
        ("12.345", "no more than 2 numbers after the point"),
        ("twelve", "must be an amount in pounds"),
        ("1e400", "must be"),
    ],
)
def test_money_is_bounded(world, as_user, value, message):
    response = as_user("sendco").post(
        reverse("provision:staff", kwargs={"pk": world.setting.pk}),
        {"name": "Assistant", "hourly_cost": value},
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert not StaffRole.objects.filter(name="Assistant").exists()


def test_a_rate_change_is_audited_with_old_and_new(world, as_user):
    group = world_group(world)
    role = group.provision.staff_role
    response = as_user("sendco").post(
        reverse("provision:staff-edit", kwargs={"pk": role.pk}),
        {"name": role.name, "hourly_cost": "20.50"},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.filter(object_type="staffrole", action=Action.UPDATE).latest("pk")
    assert event.detail == {
        "old": {"name": role.name, "hourly_cost": "18.00"},
        "new": {
            "name": role.name,
            "hourly_cost": "20.50",
            "applies_from": str(timezone.localdate()),  # today, when no date is given
        },
    }


def test_a_rate_change_cannot_reach_back_into_a_closed_term(world, as_user):
    from vsend.insights.terms import previous_term, term_containing

    group = world_group(world)
    role = group.provision.staff_role
    closed = previous_term(term_containing(timezone.localdate())).ends
    response = as_user("sendco").post(
        reverse("provision:staff-edit", kwargs={"pk": role.pk}),
        {
            "name": role.name,
            "hourly_cost": "20.50",
            "applies_from-day": str(closed.day),
            "applies_from-month": str(closed.month),
            "applies_from-year": str(closed.year),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "a term that has ended keeps its costs" in page
    assert 'value="20.50"' in page and StaffRole.objects.get(pk=role.pk).hourly_cost == 18


def test_a_teacher_sees_provision_only_for_their_class(world, as_user):
    group = world_group(world)  # the child (3X, the teacher's) and a classmate (3Y)
    teacher = as_user("teacher")
    page = teacher.get(reverse("provision:group", kwargs={"pk": group.pk})).content.decode()
    assert world.child.full_name in page and world.classmate.full_name not in page
    assert "Record a missed session" not in page
    assert (
        teacher.get(reverse("provision:child-map", kwargs={"pk": world.child.pk})).status_code
        == 200
    )
    assert (
        teacher.get(reverse("provision:child-map", kwargs={"pk": world.classmate.pk})).status_code
        == 404
    )
    # A group of the classmate's alone is not listed for the teacher.
    from vsend.audit.services import Actor
    from vsend.provision import services

    services.start_group(
        actor=Actor(user=world.users["sendco"]),
        provision=group.provision,
        name="Classmate only",
        starts_on=date(2026, 9, 7),
        ends_on=date(2026, 12, 18),
        child_ids=[world.classmate.pk],
    )
    home = teacher.get(
        reverse("provision:setting", kwargs={"pk": world.setting.pk})
    ).content.decode()
    assert "Talk group" in home and "Classmate only" not in home
    only = ProvisionGroup.objects.get(name="Classmate only")
    assert teacher.get(reverse("provision:group", kwargs={"pk": only.pk})).status_code == 404


def test_the_childs_map_as_excel_and_pdf(world, as_user):
    world_group(world)
    client = as_user("sendco")
    xlsx = client.get(
        reverse("provision:child-map-xlsx", kwargs={"pk": world.child.pk}) + "?term=autumn-2026"
    )
    book = load_workbook(io.BytesIO(xlsx.content))
    rows = list(book["provision_map"].iter_rows(values_only=True))
    # Autumn 2026 from 7 September: 116 of 122 days of 14 weeks, twice a week, 30 minutes,
    # 9.00 a session shared by two children.
    sessions = 2 * 14 * Decimal(116) / 122
    autumn_cost = rows[2][11]  # after 4 labels and the summer term's 4 columns, the 4th
    assert autumn_cost == float((sessions * 9 / 2).quantize(Decimal("0.01")))
    pdf = client.get(reverse("provision:child-map-pdf", kwargs={"pk": world.child.pk}), follow=True)
    assert pdf.headers["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    from pypdf import PdfReader

    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Costed provision map" in text and world.child.full_name in text and "Talk time" in text


def test_the_api_evaluation_names_every_child_in_its_row(world, as_user):
    world_group(world)
    before = AuditEvent.objects.order_by("-pk").first().pk
    data = json.loads(
        as_user("sendco")
        .get(reverse("api:provision-achieves", kwargs={"pk": world.setting.pk}))
        .content
    )
    assert {c["child"] for c in data["children"]} == {world.child.pk, world.classmate.pk}
    assert all(c["left_out"] for c in data["children"])  # no profiles yet: left out, flagged
    (row,) = AuditEvent.objects.filter(pk__gt=before, action=Action.VIEW)
    assert sorted(row.detail["child_ids"]) == sorted([world.child.pk, world.classmate.pk])


def test_the_library_adds_provisions_once(world, as_user):
    client = as_user("sendco")
    url = reverse("provision:library", kwargs={"pk": world.setting.pk})
    client.post(url, {"keys": ["reading-catch-up", "counselling"], "submission_token": "c" * 40})
    client.post(url, {"keys": ["reading-catch-up"], "submission_token": "d" * 40})
    names = set(world.setting.provisions.values_list("name", flat=True))
    assert names == {"Reading catch-up, one to one", "School counselling"}
    assert StaffRole.objects.get(
        setting=world.setting, name="Teaching assistant"
    ).hourly_cost == Decimal("18.00")


def test_a_provisions_cost_change_from_the_edit_form(world, as_user):
    from vsend.insights.terms import previous_term, term_containing
    from vsend.provision.models import Provision, ProvisionCost

    group = world_group(world)
    provision = group.provision
    url = reverse("provision:provision-edit", kwargs={"pk": provision.pk})
    client = as_user("sendco")
    today = timezone.localdate()
    page = client.get(url).content.decode()
    # "Cost applies from" is offered, filled in with today.
    assert "Cost applies from" in page and f'value="{today.year}"' in page
    form = {
        "name": provision.name,
        "description": "",
        "areas": ["communication_interaction"],
        "kind": "group",
        "staff_role": "",
        "provider": "Speech service",
        "sessions_per_week": "2",
        "session_minutes": "30",
        "cost_basis": "session",
        "cost": "12.40",
    }
    closed = previous_term(term_containing(today)).ends
    response = client.post(url, {**form, **day("applies_from", closed)})
    page = response.content.decode()
    assert response.status_code == 200
    assert f"({closed:%-d %B %Y} is in a term that has ended)" in page
    assert 'value="12.40"' in page and 'value="Speech service"' in page  # what was typed
    assert Provision.objects.get(pk=provision.pk).cost_basis == "staff_hour"
    assert not ProvisionCost.objects.filter(provision=provision).exists()
    response = client.post(url, {**form, **day("applies_from", today)})
    assert response.status_code == 302
    history = ProvisionCost.objects.filter(provision=provision)
    assert [(c.applies_from, c.cost_basis, str(c.cost)) for c in history][-1] == (
        today,
        "session",
        "12.40",
    )
    assert history.first().cost_basis == "staff_hour"  # what it was before, kept
    page = client.get(url).content.decode()
    assert "Its cost over time" in page and "£12.40 per session" in page
    assert "Per hour of Teaching assistant" in page
