"""A SENDCo sets up their own setting's year groups and classes and moves its children."""

import pytest
from django.urls import reverse

from vsend.audit.models import AuditEvent
from vsend.audit.services import Actor
from vsend.children.models import Enrolment
from vsend.organisations import services as classes
from vsend.organisations.models import SchoolClass, YearGroup


def test_a_sendco_adds_a_year_group_and_a_class(world, as_user):
    client = as_user("sendco")
    response = client.post(
        reverse("organisations:year-group-create", kwargs={"pk": world.setting.pk}), {"year": "5"}
    )
    assert response.status_code == 302
    year5 = YearGroup.objects.get(setting=world.setting, code="5")
    response = client.post(
        reverse("organisations:class-create", kwargs={"pk": world.setting.pk}),
        {"class-name": "5K", "class-year_group": year5.pk},
    )
    assert response.status_code == 302
    assert SchoolClass.objects.get(setting=world.setting, name="5K").year_group == year5
    page = client.get(reverse("organisations:classes", kwargs={"pk": world.setting.pk}))
    assert "5K (Year 5)" in page.content.decode()


def test_a_class_name_is_not_used_twice(world, as_user):
    response = as_user("sendco").post(
        reverse("organisations:class-create", kwargs={"pk": world.setting.pk}),
        {"class-name": "3x"},
    )
    assert response.status_code == 200
    assert "has a class with this name already" in response.content.decode()


def test_a_sendco_moves_their_children_between_classes(world, as_user):
    response = as_user("sendco").post(
        reverse("organisations:move-children", kwargs={"pk": world.setting.pk}),
        {"children": [str(world.classmate.pk)], "to_class": world.class_3x.pk},
    )
    assert response.status_code == 302
    assert Enrolment.objects.get(child=world.classmate).school_class == world.class_3x
    event = AuditEvent.objects.filter(object_type="schoolclass", action="update").get()
    assert event.detail["child_ids"] == [world.classmate.pk]


def test_a_sendco_cannot_manage_another_settings_classes(world, as_user):
    other = as_user("other_setting")  # the SENDCo of setting A2
    pk = world.setting.pk
    assert other.get(reverse("organisations:classes", kwargs={"pk": pk})).status_code == 404
    assert (
        other.post(
            reverse("organisations:class-create", kwargs={"pk": pk}), {"class-name": "Z"}
        ).status_code
        == 404
    )
    response = other.post(
        reverse("organisations:move-children", kwargs={"pk": pk}),
        {"children": [str(world.child.pk)], "to_class": world.class_3y.pk},
    )
    assert response.status_code == 404
    assert not SchoolClass.objects.filter(name="Z").exists()
    assert Enrolment.objects.get(child=world.child).school_class == world.class_3x


def test_only_children_enrolled_at_the_setting_are_moved(world, as_user):
    response = as_user("sendco").post(
        reverse("organisations:move-children", kwargs={"pk": world.setting.pk}),
        {"children": [str(world.other_setting_child.pk)], "to_class": world.class_3x.pk},
    )
    assert response.status_code == 200  # not one of the choices offered
    assert "There is a problem" in response.content.decode()
    with pytest.raises(classes.NotAtSetting):
        classes.move_children(
            actor=Actor(user=world.users["sendco"]),
            setting=world.setting,
            child_ids=[world.other_setting_child.pk],
            to_class=world.class_3x,
        )
    assert Enrolment.objects.get(child=world.other_setting_child).school_class is None


def test_a_teacher_cannot_manage_classes(world, as_user):
    response = as_user("teacher").get(
        reverse("organisations:classes", kwargs={"pk": world.setting.pk})
    )
    assert response.status_code == 403
