"""No response with personal data may be kept by a browser or a shared cache."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.profile_helpers import complete_profile
from vsend.accounts.services import create_api_token
from vsend.audit.services import SYSTEM


def _assert_no_store(response) -> None:
    cache_control = response.headers.get("Cache-Control", "")
    assert "no-store" in cache_control, (response.status_code, cache_control)
    assert "private" in cache_control
    assert response.headers.get("Pragma") == "no-cache"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_page_export_pdf_and_api_response_with_personal_data_is_not_stored(
    world, as_user, fmt
):
    sendco = as_user("sendco")
    profile_pk = complete_profile(sendco, world.child)
    child = {"pk": world.child.pk}
    urls = [
        reverse("home"),
        reverse("children:list"),
        reverse("children:detail", kwargs=child),
        reverse("children:edit", kwargs=child),
        reverse("children:access", kwargs=child),
        reverse("profiles:summary", kwargs={"pk": profile_pk}),
        reverse("profiles:chart", kwargs={"pk": profile_pk}),
        reverse("profiles:pdf", kwargs={"pk": profile_pk}),
        reverse("insights:setting", kwargs={"pk": world.setting.pk}),
        reverse("insights:setting-export", kwargs={"pk": world.setting.pk, "fmt": fmt}),
        reverse("insights:governors", kwargs={"pk": world.setting.pk}),
        reverse("accounts:account"),
        reverse("api:children"),
        reverse("api:child", kwargs=child),
        reverse("api:profile-pdf", kwargs={"pk": profile_pk}),
    ]
    for url in urls:
        response = sendco.get(url, follow=True)  # a PDF: made by a job, then the file
        assert response.status_code == 200, url
        _assert_no_store(response)
        for hop, _ in response.redirect_chain:  # the progress page too
            _assert_no_store(sendco.get(hop))
    # Refusals and missing records too: their pages can name the user.
    _assert_no_store(sendco.get(reverse("children:detail", kwargs={"pk": world.far_child.pk})))


def test_the_new_token_page_and_token_api_calls_are_not_stored(world, as_user):
    sendco = as_user("sendco")
    created = sendco.post(reverse("accounts:token-create"), {"name": "MIS export"})
    assert created.status_code == 200 and "vsend_" in created.content.decode()
    _assert_no_store(created)
    raw = create_api_token(actor=SYSTEM, user=world.users["sendco"], name="script")
    response = Client().get(reverse("api:children"), HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    _assert_no_store(response)


def test_sign_in_pages_are_not_stored_but_static_files_keep_their_caching(world):
    client = Client()
    _assert_no_store(client.get(reverse("accounts:sign-in")))
    failed = client.post(
        reverse("accounts:sign-in"), {"username": "x@example.org", "password": "y"}
    )
    _assert_no_store(failed)
    static = client.get("/static/vsend/vsend.css")
    assert static.status_code == 200
    assert "no-store" not in static.headers.get("Cache-Control", "")
