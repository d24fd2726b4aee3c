"""A double click or a retry never makes two records; racing saves get a clear message
(issue 8)."""

import re
import threading
from datetime import date
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

import vsend
from tests.profile_helpers import complete_profile, day, lock
from vsend.accounts.models import ApiToken
from vsend.children.models import Child
from vsend.profiles.models import Profile

TOKEN = "t" * 40
UPN = "J925200018002"  # valid check letter


def _new_child(world, **extra) -> dict[str, str]:
    return {
        "first_name": "Zoe",
        "last_name": "Twice",
        "sex": "F",
        "sen_provision": "N",
        "setting": str(world.setting.pk),
        "year": "3",
        **day("date_of_birth", date(2018, 5, 5)),
        **day("started_on", date(2025, 9, 1)),
        **extra,
    }


def _token_in(page: str) -> str:
    return re.search(r'name="submission_token" value="([^"]+)"', page).group(1)


def test_the_add_child_form_carries_a_one_time_token(world, as_user):
    client = as_user("sendco")
    first = _token_in(client.get(reverse("children:create")).content.decode())
    second = _token_in(client.get(reverse("children:create")).content.decode())
    assert first != second and len(first) >= 32
    # A form shown again with errors keeps its token, so its later save is still one save.
    page = client.post(reverse("children:create"), {"submission_token": first}).content.decode()
    assert _token_in(page) == first


def test_identical_posts_of_the_add_child_form_make_one_child(world, as_user):
    client = as_user("sendco")
    data = _new_child(world, submission_token=TOKEN)
    answers = [client.post(reverse("children:create"), data) for _ in range(3)]
    assert Child.objects.filter(last_name="Twice").count() == 1
    child = Child.objects.get(last_name="Twice")
    assert {r.status_code for r in answers} == {302}
    assert {r["Location"] for r in answers} == {reverse("children:detail", args=[child.pk])}


def test_a_new_form_makes_a_new_child(world, as_user):
    client = as_user("sendco")
    client.post(reverse("children:create"), _new_child(world, submission_token="a" * 40))
    client.post(reverse("children:create"), _new_child(world, submission_token="b" * 40))
    assert Child.objects.filter(last_name="Twice").count() == 2


def test_another_users_token_is_never_followed(world, as_user):
    as_user("sendco").post(reverse("children:create"), _new_child(world, submission_token=TOKEN))
    response = as_user("la_admin").post(
        reverse("children:create"), _new_child(world, submission_token=TOKEN, first_name="Other")
    )
    assert response.status_code == 302
    assert Child.objects.filter(last_name="Twice").count() == 2


def test_identical_posts_of_the_token_form_make_one_token(world, as_user):
    client = as_user("sendco")
    data = {"name": "MIS export", "submission_token": TOKEN}
    first = client.post(reverse("accounts:token-create"), data)
    second = client.post(reverse("accounts:token-create"), data, follow=True)
    assert first.status_code == 200 and 'id="token"' in first.content.decode()
    assert ApiToken.objects.filter(user=world.users["sendco"]).count() == 1
    assert "was created by your first click" in second.content.decode()


def test_starting_a_profile_or_a_review_twice_makes_one_draft(world, as_user):
    client = as_user("sendco")
    url = reverse("profiles:start", kwargs={"child_pk": world.child.pk})
    for _ in range(2):
        assert client.post(url, day("assessment_date", date(2026, 11, 2))).status_code == 302
    assert Profile.objects.filter(child=world.child).count() == 1
    Profile.objects.filter(child=world.child).delete()
    pk = complete_profile(client, world.child)
    for _ in range(2):
        assert client.post(reverse("profiles:review", kwargs={"pk": pk})).status_code == 302
    assert Profile.objects.filter(child=world.child, status="draft").count() == 1


def test_finalising_twice_goes_to_the_profile_not_an_error(world, as_user):
    client = as_user("sendco")
    pk = complete_profile(client, world.child, finalise=False)
    data = {"lock_version": lock(pk), "submission_token": TOKEN}
    first = client.post(reverse("profiles:finalise", kwargs={"pk": pk}), data)
    second = client.post(reverse("profiles:finalise", kwargs={"pk": pk}), data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == reverse("profiles:summary", kwargs={"pk": pk}) + "?finalised=1"


def test_a_upn_taken_by_a_racing_save_is_a_form_error_not_a_500(world, as_user, monkeypatch):
    # The form's own check passes (the other save has not committed yet), the database refuses.
    from vsend.children.forms import ChildDetailsForm

    monkeypatch.setattr(ChildDetailsForm, "_check_duplicate_upn", lambda self, data: None)
    response = as_user("sendco").post(
        reverse("children:create"), _new_child(world, upn=world.child.upn)
    )
    assert response.status_code == 200
    assert "This UPN cannot be saved" in response.content.decode()
    edit = as_user("sendco").post(
        reverse("children:edit", args=[world.classmate.pk]),
        {
            **_new_child(world, upn=world.child.upn),
            "version": str(world.classmate.version),
        },
    )
    assert edit.status_code == 200
    assert "This UPN cannot be saved" in edit.content.decode()


def test_the_service_maps_a_duplicate_upn(world):
    from vsend.audit.services import Actor
    from vsend.children.services import DuplicateUPN, Placement, create_child

    actor = Actor(user=world.users["sendco"], ip_address="127.0.0.1")
    details = {"first_name": "A", "last_name": "B", "sex": "F", "upn": world.child.upn}
    details["date_of_birth"] = date(2018, 1, 1)
    with pytest.raises(DuplicateUPN):
        create_child(
            actor=actor,
            details=details,
            placement=Placement(world.setting, "3", None, date(2025, 9, 1)),
        )


def test_every_submit_button_prevents_double_clicks():
    templates = Path(vsend.__file__).parent / "templates"
    for path in templates.rglob("*.html"):
        text = path.read_text()
        for call in re.findall(r"govukButton\(\{[^}]*\}\)", text):
            if '"href"' not in call:
                assert '"preventDoubleClick": true' in call, (path.name, call)
        for button in re.findall(r'<button class="govuk-button[^>]*>', text):
            if "Filter" not in text[text.find(button) : text.find(button) + 200]:
                assert 'data-prevent-double-click="true"' in button, (path.name, button)


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"
)


def _race(world, posts: list[dict[str, str]]) -> list[int]:
    """Post the forms at once from separate threads (separate database connections); the
    status of each, with 200 counted only when the page gives the UPN message."""
    statuses: list[int] = []
    barrier = threading.Barrier(len(posts))

    def one(data: dict[str, str]) -> None:
        try:
            client = Client(raise_request_exception=False)
            client.force_login(world.users["sendco"])
            barrier.wait()
            response = client.post(reverse("children:create"), data)
            told = b"This UPN cannot be saved" in response.content
            statuses.append(response.status_code if response.status_code != 200 or told else -1)
        finally:
            connection.close()

    threads = [threading.Thread(target=one, args=(p,)) for p in posts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return statuses


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_racing_double_clicks_make_one_child(world):
    statuses = _race(world, [_new_child(world, submission_token=TOKEN)] * 6)
    assert statuses == [302] * 6
    assert Child.objects.filter(last_name="Twice").count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_racing_saves_for_one_upn_give_the_message_never_a_500(world):
    posts = [_new_child(world, upn=UPN, submission_token=f"{i}" * 40) for i in range(6)]
    statuses = _race(world, posts)
    assert sorted(statuses) == [200] * 5 + [302]
    assert Child.objects.filter(upn=UPN).count() == 1
