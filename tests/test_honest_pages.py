"""Pages say what is true here: the sign-out messages give the configured limits, and a
teacher's dashboard is named after their classes, not the whole school."""

from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from vsend.accounts.views import duration_words


@pytest.mark.parametrize(
    ("length", "words"),
    [
        (timedelta(minutes=30), "30 minutes"),
        (timedelta(minutes=1), "1 minute"),
        (timedelta(hours=1), "1 hour"),
        (timedelta(hours=12), "12 hours"),
        (timedelta(minutes=90), "1 hour and 30 minutes"),
    ],
)
def test_a_limit_in_words(length, words):
    assert duration_words(length) == words


@override_settings(
    VSEND_SESSION_IDLE=timedelta(minutes=45), VSEND_SESSION_ABSOLUTE=timedelta(hours=8)
)
def test_the_sign_out_messages_give_the_configured_limits(db):
    client = Client()
    idle = client.get(reverse("accounts:sign-in") + "?expired=idle").content.decode()
    assert "had not done anything for 45 minutes" in idle and "30 minutes" not in idle
    absolute = client.get(reverse("accounts:sign-in") + "?expired=absolute").content.decode()
    assert "signed in for 8 hours" in absolute and "12 hours" not in absolute


def test_a_teachers_dashboard_is_named_after_their_classes(world, as_user):
    url = reverse("insights:setting", kwargs={"pk": world.setting.pk})
    teacher = as_user("teacher").get(url).content.decode()
    assert "Needs across class 3X at Setting A1" in teacher
    sendco = as_user("sendco").get(url).content.decode()
    assert "Needs across Setting A1</h1>" in sendco
