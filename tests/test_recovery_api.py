"""The organisation and people lists in the API: for administrators, scoped to their authority,
paginated and audited; another authority's records are 404, and its lists hold only its own."""

from django.urls import reverse

from vsend.accounts.models import Membership, User
from vsend.accounts.roles import Role
from vsend.audit.models import Action, AuditEvent


def _get(as_user, persona, name, *args, **params):
    return as_user(persona).get(reverse(name, args=args or None), params)


def test_an_administrator_lists_their_authoritys_localities_and_settings(world, as_user):
    localities = _get(as_user, "la_admin", "api:localities").json()
    assert [(r["name"], r["settings_count"]) for r in localities["results"]] == [
        ("North", 1),
        ("South", 1),
    ]
    settings = _get(as_user, "la_admin", "api:settings").json()
    assert settings["count"] == 2
    first = settings["results"][0]
    assert (first["name"], first["urn"], first["setting_type"]) == (
        "Setting A1",
        "100001",
        "primary",
    )
    assert first["setting_type_name"] == "Primary" and first["locality"] == "North"
    one = _get(as_user, "la_admin", "api:setting", world.setting.pk).json()
    assert one == first


def test_an_administrator_lists_their_authoritys_people_with_their_roles(world, as_user):
    body = _get(as_user, "la_admin", "api:people").json()
    emails = {p["email"] for p in body["results"]}
    assert "sendco@example.org" in emails and "parent@example.org" in emails
    assert "la.admin.b@example.org" not in emails and "platform@example.org" not in emails
    sendco = next(p for p in body["results"] if p["email"] == "sendco@example.org")
    assert sendco["memberships"] == [
        {
            "role": "sendco",
            "organisation": "Setting A1",
            "organisation_id": world.setting.pk,
            "organisation_type": "setting",
        }
    ]
    assert sendco["authenticator"] is False and sendco["is_active"] is True
    # Someone in both authorities shows only the role held in the administrator's own.
    both = world.users["other_authority"]
    Membership.objects.create(user=both, role=Role.LA_OFFICER, authority=world.authority)
    person = _get(as_user, "la_admin", "api:person", both.pk).json()
    assert [m["role"] for m in person["memberships"]] == ["la_officer"]


def test_another_authoritys_administrator_sees_only_their_own(world, as_user):
    theirs = _get(as_user, "other_authority", "api:settings").json()
    assert [r["name"] for r in theirs["results"]] == ["Setting B1"]
    assert [
        r["name"] for r in _get(as_user, "other_authority", "api:localities").json()["results"]
    ] == ["Central"]
    people = {p["email"] for p in _get(as_user, "other_authority", "api:people").json()["results"]}
    assert people == {"la.admin.b@example.org"}
    for name, pk in [("api:setting", world.setting.pk), ("api:person", world.users["sendco"].pk)]:
        response = _get(as_user, "other_authority", name, pk)
        assert response.status_code == 404, name
        assert response["Content-Type"] == "application/problem+json"
    # The probe of A's setting is on A's trail, not B's.
    refusal = AuditEvent.objects.filter(action=Action.ACCESS_REFUSED, object_type="setting").get()
    assert refusal.authority_id == world.authority.pk


def test_other_roles_are_refused_the_lists_and_find_no_records(world, as_user):
    for persona in ("sendco", "la_officer", "teacher", "parent"):
        for name in ("api:localities", "api:settings", "api:people"):
            assert _get(as_user, persona, name).status_code == 403, (persona, name)
        assert _get(as_user, persona, "api:setting", world.setting.pk).status_code == 404
        assert _get(as_user, persona, "api:person", world.users["sendco"].pk).status_code == 404


def test_each_page_is_audited_naming_what_it_listed(world, as_user):
    for i in range(55):
        user = User.objects.create_user(f"p{i:02}@example.org", "x" * 20, full_name=f"P {i:02}")
        Membership.objects.create(user=user, role=Role.CASEWORKER, authority=world.authority)
    first = _get(as_user, "la_admin", "api:people").json()
    second = _get(as_user, "la_admin", "api:people", page=2).json()
    assert first["count"] == second["count"] == 55 + 9  # and the nine of the world in A
    assert len(first["results"]) == 50 and len(second["results"]) == 14
    assert first["next"] and second["previous"]
    rows = AuditEvent.objects.filter(action=Action.VIEW, object_type="person_list").order_by("pk")
    assert [r.detail["page"] for r in rows] == [1, 2]
    assert rows[1].detail["person_ids"] == [p["id"] for p in second["results"]]
    assert {r.authority_id for r in rows} == {world.authority.pk}
    assert rows[0].channel == "api" and rows[0].actor == world.users["la_admin"]
    _get(as_user, "la_admin", "api:settings")
    setting_row = AuditEvent.objects.filter(object_type="setting_list").get()
    assert setting_row.detail["setting_ids"] == [world.setting.pk, world.other_setting.pk]


def test_the_lists_are_in_the_openapi_schema(world, as_user):
    schema = as_user("la_admin").get(reverse("api:schema"), HTTP_ACCEPT="application/json")
    text = schema.content.decode()
    for path in (
        "/api/v1/localities/",
        "/api/v1/settings/",
        "/api/v1/settings/{id}/",
        "/api/v1/people/",
        "/api/v1/people/{id}/",
    ):
        assert path in text, path
    assert "urn" in text and "PersonPage" in text
