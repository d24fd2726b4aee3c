"""Moving a child between settings (ADR 20): leaving, joining by UPN and date of birth, an
authority transfer, dual registration, and who sees the child on which day."""

import html
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.profile_helpers import complete_profile, day
from vsend.audit.models import Action, AuditEvent
from vsend.children.models import Enrolment, Registration, Transfer
from vsend.children.selectors import (
    children_on_roll_once,
    count_children_once,
    counted_enrolments,
)
from vsend.organisations.models import YearGroup

TODAY = timezone.localdate()


def _in(days: int) -> date:
    return TODAY + timedelta(days=days)


@pytest.fixture
def a2(world):
    YearGroup.objects.create(setting=world.other_setting, code="3", name="Year 3", position=5)
    return world.other_setting


def _on(monkeypatch, when: date) -> None:
    """Every 'today' in vsend becomes this day."""
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: when)


def _leave(client, world, left_on: date, going=None):
    enrolment = Enrolment.objects.get(child=world.child, setting=world.setting)
    return client.post(
        reverse("children:leaving", kwargs={"pk": world.child.pk}),
        {
            "enrolment": str(enrolment.pk),
            **day("left_on", left_on),
            "destination_setting": str(going.pk) if going else "",
            "destination": "",
        },
    )


def _join(client, setting, starts: date, upn: str, born: date):
    return client.post(
        reverse("children:join"),
        {
            "upn": upn,
            **day("date_of_birth", born),
            "setting": str(setting.pk),
            "year": "3",
            "school_class": "",
            **day("started_on", starts),
        },
    )


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _detail(client, child):
    return client.get(reverse("children:detail", kwargs={"pk": child.pk}))


def test_the_receiving_setting_sees_the_child_from_the_start_date_and_the_leaver_not_after(
    world, a2, as_user, monkeypatch
):
    sendco, receiving = as_user("sendco"), as_user("other_setting")
    profile = complete_profile(sendco, world.child)
    assert _leave(sendco, world, _in(5), going=a2).status_code == 302
    response = _join(receiving, a2, _in(6), world.child.upn, world.child.date_of_birth)
    assert response.status_code == 302, _text(response)[:3000]
    transfer = Transfer.objects.get(child=world.child)
    assert (transfer.from_setting, transfer.to_setting) == (world.setting, a2)
    assert transfer.route == Transfer.Route.CLAIM and transfer.left_on == _in(5)
    # The page after says when, without naming the child before the record is theirs.
    after = receiving.get(response.url)
    assert "Amelia" not in _text(after) and "opens to you on their first day" in _text(after)

    summary = reverse("profiles:summary", kwargs={"pk": profile})
    api = reverse("api:child-profiles", kwargs={"pk": world.child.pk})
    for when, leaver, receiver in ((TODAY, 200, 404), (_in(5), 200, 404), (_in(6), 404, 200)):
        _on(monkeypatch, when)
        assert _detail(sendco, world.child).status_code == leaver, when
        assert sendco.get(summary).status_code == leaver, when
        assert _detail(receiving, world.child).status_code == receiver, when
        assert receiving.get(summary).status_code == receiver, when
        assert receiving.get(api).status_code == receiver, when
    page = _text(_detail(receiving, world.child))
    assert "Profile 1" in page and "Transfer, " in page and "From Setting A1 to Setting A2" in page
    assert "Valuing SEND profiles" in page


def test_the_family_and_the_caseworker_see_the_move(world, a2, as_user):
    assert _leave(as_user("sendco"), world, _in(-1), going=a2).status_code == 302
    assert _join(as_user("other_setting"), a2, TODAY, world.child.upn, world.child.date_of_birth)
    for persona in ("parent", "caseworker"):
        page = _text(_detail(as_user(persona), world.child))
        assert "Moves between settings" in page and "From Setting A1 to Setting A2" in page, persona
        assert "Going to Setting A2" in page, persona


def test_every_step_is_audited(world, a2, as_user):
    _leave(as_user("sendco"), world, _in(-1), going=a2)
    _join(as_user("other_setting"), a2, TODAY, world.child.upn, world.child.date_of_birth)
    rows = AuditEvent.objects.filter(child_id=world.child.pk).order_by("pk")
    leaving = rows.get(action=Action.UPDATE, summary__startswith="Leaving")
    assert (
        leaving.actor == world.users["sendco"] and leaving.detail["destination_setting_id"] == a2.pk
    )
    joined = rows.get(action=Action.CREATE, object_type="transfer")
    assert joined.actor == world.users["other_setting"] and joined.detail["route"] == "claim"


def test_a_child_who_has_not_left_cannot_be_claimed_and_nothing_says_why(world, a2, as_user):
    """Not left yet, another date of birth, an unknown UPN, going elsewhere: the same words,
    nothing on roll, and the authority told (not the child's own history)."""
    receiving = as_user("other_setting")
    child = world.child
    wrong_born = child.date_of_birth + timedelta(days=1)
    pages = [
        _join(receiving, a2, TODAY, child.upn, child.date_of_birth),  # still on roll at A1
        _join(receiving, a2, TODAY, child.upn, wrong_born),
        _join(receiving, a2, TODAY, "H925200018009", child.date_of_birth),
    ]
    # Left, but for another setting than A2.
    _leave(as_user("sendco"), world, _in(-1))
    Enrolment.objects.filter(child=child, setting=world.setting).update(
        destination_setting=world.far_setting
    )
    pages.append(_join(receiving, a2, TODAY, child.upn, child.date_of_birth))
    texts = []
    for response in pages:
        assert response.status_code == 200
        text = _text(response)
        assert "No child can join Setting A2 with these details" in text
        for giveaway in ("Amelia", "Setting A1", "already", "exists"):
            assert giveaway not in text, giveaway
        texts.append(re.search(r"govuk-error-summary__list(.*?)</ul>", text, re.S).group(1))
    assert len(set(texts)) == 1  # word for word the same
    assert not Enrolment.objects.filter(child=child, setting=a2).exists()
    refusals = AuditEvent.objects.filter(
        action=Action.ACCESS_REFUSED, summary__startswith="A child could not join"
    )
    assert sorted(r.detail["reason"] for r in refusals) == sorted(
        ["still_on_roll_elsewhere", "no_match", "no_match", "going_elsewhere"]
    )
    assert all(r.child_id is None and r.authority_id == world.authority.pk for r in refusals)


def test_a_sendco_cannot_claim_a_child_onto_another_setting_or_record_others_leaving(
    world, a2, as_user
):
    _leave(as_user("sendco"), world, _in(-1))
    other = as_user("other_setting")
    # A1 is not in A2's SENDCo's list of settings: the form refuses it.
    response = _join(other, world.setting, TODAY, world.child.upn, world.child.date_of_birth)
    assert response.status_code == 200 and "Select a setting from the list" in _text(response)
    assert not Transfer.objects.exists()
    # Another setting's child is not found; a SENDCo may not use the authority's transfer.
    url = reverse("children:leaving", kwargs={"pk": world.classmate.pk})
    assert other.get(url).status_code == 404
    transfer = reverse("children:transfer", kwargs={"pk": world.classmate.pk})
    assert as_user("sendco").get(transfer).status_code == 403
    assert other.post(transfer, {}).status_code == 404


def _transfer(client, child, setting, starts: date, dual: bool):
    return client.post(
        reverse("children:transfer", kwargs={"pk": child.pk}),
        {
            "setting": str(setting.pk),
            "year": "3",
            "school_class": "",
            **day("started_on", starts),
            "dual": "yes" if dual else "no",
        },
    )


def test_the_caseworker_transfers_a_child(world, a2, as_user):
    response = _transfer(as_user("caseworker"), world.child, a2, TODAY, dual=False)
    assert response.status_code == 302, _text(response)[:2000]
    old = Enrolment.objects.get(child=world.child, setting=world.setting)
    assert old.ended_on == _in(-1) and old.destination_setting == a2
    assert _detail(as_user("sendco"), world.child).status_code == 404
    assert _detail(as_user("other_setting"), world.child).status_code == 200
    transfer = Transfer.objects.get()
    assert (
        transfer.route == Transfer.Route.AUTHORITY and transfer.made_by == world.users["caseworker"]
    )
    # The caseworker's other children are not theirs to move.
    assert (
        as_user("caseworker")
        .get(reverse("children:transfer", kwargs={"pk": world.classmate.pk}))
        .status_code
        == 404
    )


def test_dual_registration_is_on_both_rolls_and_counted_once(world, a2, as_user):
    response = _transfer(as_user("la_admin"), world.child, a2, TODAY, dual=True)
    assert response.status_code == 302, _text(response)[:2000]
    regs = dict(
        Enrolment.objects.current()
        .filter(child=world.child)
        .values_list("setting_id", "registration")
    )
    assert regs == {world.setting.pk: Registration.MAIN, a2.pk: Registration.SUBSIDIARY}
    # Both settings' SENDCos reach the child.
    assert _detail(as_user("sendco"), world.child).status_code == 200
    assert _detail(as_user("other_setting"), world.child).status_code == 200
    page = _text(_detail(as_user("parent"), world.child))
    assert "dual registration" in page
    # Across the authority the child is one child, however the figure is made.
    current = Enrolment.objects.current().filter(setting__authority=world.authority)
    assert current.count() == 5
    assert count_children_once(current) == 4
    assert counted_enrolments().filter(setting__authority=world.authority).count() == 4
    assert children_on_roll_once(authority_id=world.authority.pk).count() == 4
    assert children_on_roll_once(setting_ids=[a2.pk]).count() == 2


def test_a_transfer_to_where_the_child_already_is_is_refused(world, as_user):
    world.setting.year_groups.get_or_create(code="3", defaults={"name": "Year 3", "position": 5})
    response = _transfer(as_user("la_admin"), world.child, world.setting, TODAY, dual=False)
    assert response.status_code == 200 and "already on roll at Setting A1" in _text(response)


def test_leaving_forms_refuse_bad_dates_with_clear_messages(world, as_user):
    client = as_user("sendco")
    response = _leave(client, world, date(2020, 1, 1))
    assert "Their last day must be on or after the day they started" in _text(response)
    response = _leave(client, world, _in(400))
    assert "Their last day must be within the next year" in _text(response)
    assert Enrolment.objects.get(child=world.child, setting=world.setting).ended_on is None


def test_the_demo_has_a_child_who_moved_last_term_and_a_dual_registered_child(db):
    from vsend.demo.loader import load_demo
    from vsend.profiles.models import Profile, Status

    load_demo("demo-password-for-tests")
    moved = Transfer.objects.get(route=Transfer.Route.CLAIM)
    assert moved.from_setting != moved.to_setting
    assert moved.starts_on < TODAY and moved.left_on < moved.starts_on
    history = Profile.objects.filter(child=moved.child, status=Status.FINALISED)
    assert history.exists() and all(p.assessment_date < moved.starts_on for p in history)
    on_roll = Enrolment.objects.current().filter(child=moved.child)
    assert [e.setting for e in on_roll] == [moved.to_setting]
    dual = Transfer.objects.get(dual=True)
    regs = sorted(
        Enrolment.objects.current().filter(child=dual.child).values_list("registration", flat=True)
    )
    assert regs == [Registration.MAIN, Registration.SUBSIDIARY]
    current = Enrolment.objects.current()
    assert count_children_once(current) == current.count() - 1


def test_only_a_settings_own_sendco_and_its_authority_may_change_its_roll(world):
    from vsend.accounts.policy import AccessPolicy

    may = {
        persona: (
            AccessPolicy(world.users[persona]).may_change_roll(world.setting),
            AccessPolicy(world.users[persona]).may_change_roll(world.other_setting),
        )
        for persona in world.users
    }
    assert may == {
        "platform_admin": (True, True),
        "la_admin": (True, True),
        "la_officer": (False, False),
        "caseworker": (False, False),
        "sendco": (True, False),
        "teacher": (False, False),
        "parent": (False, False),
        "young_person": (False, False),
        "governor": (False, False),
        "other_setting": (False, True),
        "other_authority": (False, False),
    }
