import html
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from vsend.audit.models import Action, AuditEvent
from vsend.children.models import Child
from vsend.children.validators import validate_uln, validate_upn


def valid_form(world, **overrides):
    data = {
        "first_name": "Freya",
        "last_name": "Stone",
        "preferred_name": "",
        "date_of_birth-day": "4",
        "date_of_birth-month": "5",
        "date_of_birth-year": "2018",
        "sex": "F",
        "upn": "",
        "uln": "",
        "home_language": "English",
        "sen_provision": "K",
        "primary_need": "SLCN",
        "secondary_need": "",
        "setting": str(world.setting.pk),
        "year": "3",
        "school_class": str(world.class_3x.pk),
        "started_on-day": "2",
        "started_on-month": "9",
        "started_on-year": "2025",
    }
    data.update(overrides)
    return data


def test_a_sendco_adds_a_child_and_it_is_audited(world, as_user):
    response = as_user("sendco").post(
        reverse("children:create"), valid_form(world, upn="J925200018002")
    )
    child = Child.objects.get(last_name="Stone")
    assert response.status_code == 302 and response.url == reverse(
        "children:detail", kwargs={"pk": child.pk}
    )
    assert child.authority == world.authority and child.upn == "J925200018002"
    assert child.enrolments.get().school_class == world.class_3x
    assert AuditEvent.objects.filter(action=Action.CREATE, child_id=child.pk).exists()


BAD_INPUT = [
    ({"upn": "A12345"}, "upn", "UPN must be 13 characters"),
    ({"upn": "V925200018009"}, "upn", "UPN is not valid"),
    ({"upn": "1925200018001"}, "upn", "UPN must start with a letter"),
    ({"uln": "123"}, "uln", "ULN must be 10 numbers"),
    (
        {"date_of_birth-year": str(timezone.localdate().year + 1)},
        "date_of_birth",
        "Date of birth must be in the past",
    ),
    (
        {"date_of_birth-day": "31", "date_of_birth-month": "2"},
        "date_of_birth",
        "Date of birth must be a real date",
    ),
    ({"date_of_birth-year": ""}, "date_of_birth", "Date of birth must include a year"),
    ({"date_of_birth-year": "1990"}, "date_of_birth", "aged 0 to 25"),
    ({"primary_need": "XYZ"}, "primary_need", "Select a primary type of need from the list"),
    ({"primary_need": ""}, "primary_need", "Select the primary type of need"),
    ({"sen_provision": "N"}, "primary_need", "no special educational need has no type of need"),
    (
        {"sen_provision": "E", "primary_need": "NSA"},
        "primary_need",
        "can only be used for a child on SEN support",
    ),
    ({"secondary_need": "SLCN"}, "secondary_need", "must be different from the primary"),
    ({"first_name": ""}, "first_name", "Enter the child's first name"),
    ({"year": "9"}, "year", "has no Year 9"),
]


@pytest.mark.parametrize(("change", "field", "message"), BAD_INPUT)
def test_bad_input_gets_a_field_error_in_the_summary_and_nothing_is_saved(
    world, as_user, change, field, message
):
    before = Child.objects.count(), AuditEvent.objects.filter(action=Action.CREATE).count()
    response = as_user("sendco").post(reverse("children:create"), valid_form(world, **change))
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert page.count(message) == 2, "the message shows in the error summary and at the field"
    assert "<title>Error: " in page
    assert 'class="govuk-error-summary"' in page
    anchor = f"#id_{field}-day" if field == "date_of_birth" else f"#id_{field}"
    assert f'href="{anchor}"' in page
    # What was typed is kept.
    assert 'value="Freya"' in page or field == "first_name"
    assert (
        Child.objects.count(),
        AuditEvent.objects.filter(action=Action.CREATE).count(),
    ) == before


def test_a_duplicate_upn_in_the_same_authority_is_refused(world, as_user):
    response = as_user("sendco").post(
        reverse("children:create"), valid_form(world, upn=world.child.upn)
    )
    page = html.unescape(response.content.decode())
    # The SENDCo can see that child, so is told whose UPN it is and given their record.
    assert page.count("This UPN is already recorded for Amelia Test") == 2
    assert reverse("children:detail", kwargs={"pk": world.child.pk}) in page
    assert Child.objects.filter(upn=world.child.upn).count() == 1
    assert f'value="{world.child.upn}"' in page


def test_the_same_upn_in_another_authority_is_allowed(world, as_user):
    far = world.far_setting
    far.year_groups.create(code="3", name="Year 3", position=5)
    data = valid_form(world, upn=world.child.upn, setting=str(far.pk), school_class="")
    response = as_user("other_authority").post(reverse("children:create"), data)
    assert response.status_code == 302
    assert Child.objects.filter(upn=world.child.upn).count() == 2


def test_a_sendco_cannot_add_a_child_to_another_setting(world, as_user):
    response = as_user("sendco").post(
        reverse("children:create"), valid_form(world, setting=str(world.other_setting.pk))
    )
    assert "Select a setting from the list" in response.content.decode()
    assert not Child.objects.filter(last_name="Stone").exists()


def _edit_data(child, **overrides):
    data = {
        "first_name": child.first_name,
        "last_name": child.last_name,
        "preferred_name": "Millie",
        "date_of_birth-day": child.date_of_birth.day,
        "date_of_birth-month": child.date_of_birth.month,
        "date_of_birth-year": child.date_of_birth.year,
        "sex": child.sex,
        "upn": child.upn,
        "uln": "",
        "home_language": "English",
        "sen_provision": child.sen_provision,
        "primary_need": child.primary_need,
        "secondary_need": "",
        "version": child.version,
    }
    data.update(overrides)
    return data


def test_editing_a_child_is_audited_with_the_old_and_new_values(world, as_user):
    url = reverse("children:edit", kwargs={"pk": world.child.pk})
    response = as_user("sendco").post(url, _edit_data(world.child))
    assert response.status_code == 302
    world.child.refresh_from_db()
    assert world.child.preferred_name == "Millie" and world.child.version == 2
    event = AuditEvent.objects.get(action=Action.UPDATE, child_id=world.child.pk)
    assert event.detail == {
        "fields": ["preferred_name"],
        "changes": {"preferred_name": {"old": "", "new": "Millie"}},
    }


def test_a_stale_edit_is_refused_and_the_input_kept(world, as_user):
    url = reverse("children:edit", kwargs={"pk": world.child.pk})
    stale = _edit_data(world.child, preferred_name="From the stale form")
    as_user("la_admin").post(url, _edit_data(world.child, preferred_name="Saved first"))
    response = as_user("sendco").post(url, stale)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this record" in page
    assert 'value="From the stale form"' in page
    world.child.refresh_from_db()
    assert world.child.preferred_name == "Saved first"


def test_upn_and_uln_validators_accept_good_numbers():
    validate_upn("V925200018001")
    validate_uln("1000000000")


def test_children_list_filters(world, as_user):
    client = as_user("sendco")

    def names(**q):
        results = client.get(reverse("api:children"), q).json()["results"]
        return {c["first_name"] for c in results}

    assert names() == {"Amelia", "Bella", "Dana"}
    assert names(q="amel") == {"Amelia"}
    assert names(year="3") == {"Amelia", "Bella"}
    assert names(school_class=world.class_3y.pk) == {"Bella"}
    assert names(sen_provision="K") == {"Amelia"}
    assert names(need="ASD") == {"Amelia"}
    page = client.get(
        reverse("children:list"), {"year": "3", "sen_provision": "K"}
    ).content.decode()
    assert "Amelia" in page and "Bella" not in page and "1 child match your filters" in page


def test_bad_filters_are_a_400_on_the_api(world, as_user):
    response = as_user("sendco").get(reverse("api:children"), {"sen_provision": "Z"})
    assert response.status_code == 400
    assert "sen_provision" in response.json()["errors"]


def test_a_teacher_sees_only_their_classes(world, as_user):
    results = as_user("teacher").get(reverse("api:children")).json()["results"]
    assert [c["first_name"] for c in results] == ["Amelia"]
    assert date.fromisoformat(results[0]["date_of_birth"]) < timezone.localdate() - timedelta(
        days=365
    )
