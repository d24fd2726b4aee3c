"""A UPN already recorded for a child the user may not see is no way to learn that the child is
known to vsend: the message names no one and is the same wherever the child is, and the
authority is told so it can follow up."""

import html
import re

from django.urls import reverse

from tests.test_children import valid_form
from vsend.audit.models import Action, AuditEvent
from vsend.children.models import Child

NEUTRAL = (
    "This UPN cannot be saved. Check it has been copied correctly. If it is right, contact "
    "Authority A: they can check it and help"
)


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _add_at_other_setting(world, as_user, upn: str):
    world.other_setting.year_groups.create(code="3", name="Year 3", position=5)
    data = valid_form(world, upn=upn, setting=str(world.other_setting.pk), school_class="")
    return as_user("other_setting").post(reverse("children:create"), data)


def test_a_sendco_at_another_setting_is_not_told_the_child_is_known(world, as_user):
    response = _add_at_other_setting(world, as_user, world.child.upn)
    page = _text(response)
    assert response.status_code == 200
    assert page.count(NEUTRAL) == 2  # the error summary and the field
    for giveaway in ("Amelia", "already", "exists", "Setting A1", "known"):
        assert giveaway not in page, giveaway
    assert reverse("children:detail", kwargs={"pk": world.child.pk}) not in page
    assert Child.objects.filter(upn=world.child.upn).count() == 1
    # The authority is told, to follow up; the user's own setting is not.
    event = AuditEvent.objects.get(action=Action.ACCESS_REFUSED, detail__reason="upn_in_use")
    assert event.authority_id == world.authority.pk
    assert event.object_id == str(world.child.pk)
    assert event.actor == world.users["other_setting"]
    log = _text(as_user("la_admin").get(reverse("audit-log")))
    assert "UPN already recorded for a child the user may not see" in log


def test_the_message_is_the_same_whoever_holds_the_upn(world, as_user):
    # UPNs held by two different children the user may not see: the pages differ only in
    # per-response tokens and the UPN typed.
    world.classmate.upn = "J925200018002"
    world.classmate.save()
    first = _add_at_other_setting(world, as_user, world.child.upn)
    second = as_user("other_setting").post(
        reverse("children:create"),
        valid_form(
            world, upn="J925200018002", setting=str(world.other_setting.pk), school_class=""
        ),
    )

    def scrub(response) -> str:
        page = re.sub(r'nonce="[^"]+"', "", _text(response))
        page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
        page = re.sub(r'name="submission_token" value="[^"]+"', "", page)  # one-time form token
        return page.replace("J925200018002", "UPN").replace(world.child.upn, "UPN")

    assert scrub(first) == scrub(second)


def test_changing_a_childs_upn_to_one_held_elsewhere_gets_the_same_message(world, as_user):
    child = world.other_setting_child
    url = reverse("children:edit", kwargs={"pk": child.pk})
    data = {
        "first_name": child.first_name,
        "last_name": child.last_name,
        "date_of_birth-day": str(child.date_of_birth.day),
        "date_of_birth-month": str(child.date_of_birth.month),
        "date_of_birth-year": str(child.date_of_birth.year),
        "sex": child.sex,
        "upn": world.child.upn,
        "sen_provision": child.sen_provision,
        "primary_need": child.primary_need,
        "home_language": "English",
        "version": str(child.version),
    }
    page = _text(as_user("other_setting").post(url, data))
    assert page.count(NEUTRAL) == 2
    assert "Amelia" not in page
    assert AuditEvent.objects.filter(detail__reason="upn_in_use").count() == 1
