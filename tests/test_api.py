from django.test import Client
from django.urls import reverse

from vsend.accounts.models import ApiToken
from vsend.audit.models import Action, AuditEvent


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _create_token(client: Client, name: str = "MIS export") -> str:
    page = client.post(reverse("accounts:token-create"), {"name": name}).content.decode()
    return page.split('id="token">')[1].split("<")[0].strip()


def test_a_user_creates_a_token_that_acts_exactly_as_them(world, as_user):
    token = _create_token(as_user("sendco"))
    stored = ApiToken.objects.get(user=world.users["sendco"])
    assert token.startswith("vsend_") and stored.key_hash != token  # only a hash is kept
    api = Client()
    me = api.get(reverse("api:me"), **bearer(token)).json()
    assert me["email"] == "sendco@example.org"
    assert me["memberships"] == [
        {
            "role": "sendco",
            "organisation": "Setting A1",
            "organisation_id": world.setting.pk,
            "organisation_type": "setting",
        }
    ]
    names = {
        c["first_name"] for c in api.get(reverse("api:children"), **bearer(token)).json()["results"]
    }
    assert names == {"Amelia", "Bella", "Dana"}
    assert (
        api.get(
            reverse("api:child", kwargs={"pk": world.other_setting_child.pk}), **bearer(token)
        ).status_code
        == 404
    )
    assert AuditEvent.objects.filter(action=Action.CREATE, object_type="apitoken").exists()


def test_a_revoked_token_no_longer_works(world, as_user):
    client = as_user("sendco")
    token = _create_token(client)
    stored = ApiToken.objects.get(user=world.users["sendco"])
    assert (
        client.post(reverse("accounts:token-revoke", kwargs={"pk": stored.pk})).status_code == 302
    )
    response = Client().get(reverse("api:me"), **bearer(token))
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_a_token_name_is_required(world, as_user):
    response = as_user("sendco").post(reverse("accounts:token-create"), {"name": ""})
    assert "Enter a name for the token" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_made_up_token_is_refused(world):
    assert Client().get(reverse("api:me"), **bearer("vsend_not-a-token")).status_code == 401


def test_the_child_detail_has_enrolments_and_is_audited(world, as_user):
    data = as_user("parent").get(reverse("api:child", kwargs={"pk": world.child.pk})).json()
    assert data["upn"] == world.child.upn
    assert data["current_enrolment"]["setting"] == "Setting A1"
    assert data["enrolments"][0]["school_class"] == "3X"
    assert (
        AuditEvent.objects.filter(
            action=Action.VIEW, child_id=world.child.pk, channel="api"
        ).count()
        == 1
    )


def test_the_openapi_schema_describes_the_endpoints(world, as_user):
    schema = as_user("sendco").get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    assert {"/api/v1/me/", "/api/v1/children/", "/api/v1/children/{id}/"} <= set(schema["paths"])
    params = {p["name"] for p in schema["paths"]["/api/v1/children/"]["get"]["parameters"]}
    assert {"q", "year", "school_class", "sen_provision", "need"} <= params
    assert "personalToken" in schema["components"]["securitySchemes"]


def test_a_family_reading_a_profile_gets_no_staff_notes(world, as_user):
    """Staff keep evidence and readiness notes for their work; the family's copy (PDF and API)
    leaves them out, and staff still get them."""
    from tests.profile_helpers import complete_profile
    from vsend.profiles.models import DomainRating

    sendco = as_user("sendco")
    pk = complete_profile(sendco, world.child)
    DomainRating.objects.filter(profile_id=pk).update(readiness_note="Staff only: timetable")
    url = reverse("api:profile", kwargs={"pk": pk})
    staff = sendco.get(url).json()["ratings"]
    family = as_user("parent").get(url).json()["ratings"]
    assert all(r["need_evidence"].startswith("Seen in class") for r in staff)
    assert all(r["readiness_note"] == "Staff only: timetable" for r in staff)
    assert [r["need_level"] for r in family] == [r["need_level"] for r in staff]
    assert all(r["need_evidence"] == "" and r["readiness_note"] == "" for r in family)
