"""Localities, trusts and settings added and changed by hand."""

from django.urls import reverse

from vsend.organisations.models import LocalAuthority, Locality, Setting, Trust

TOKEN = "t" * 43


def test_an_la_administrator_adds_a_locality_once(world, as_user):
    client = as_user("la_admin")
    url = reverse("organisations:locality-create", kwargs={"pk": world.authority.pk})
    for _ in range(2):  # a double click
        response = client.post(url, {"name": "East", "submission_token": TOKEN})
        assert response.status_code == 302
    assert Locality.objects.filter(authority=world.authority, name="East").count() == 1
    response = client.post(url, {"name": "north"})
    assert "has a locality with this name already" in response.content.decode()


def test_an_la_administrator_adds_a_trust_and_a_setting_then_changes_it(world, as_user):
    client = as_user("la_admin")
    pk = world.authority.pk
    client.post(reverse("organisations:trust-create", kwargs={"pk": pk}), {"name": "Oak Trust"})
    trust = Trust.objects.get(name="Oak Trust")
    north = world.authority.localities.get(name="North")
    response = client.post(
        reverse("organisations:setting-create", kwargs={"pk": pk}),
        {
            "name": "Oak Academy",
            "urn": "140001",
            "establishment_number": "4002",
            "setting_type": "secondary",
            "locality": north.pk,
            "trust": trust.pk,
            "postcode": "EX1 9ZZ",
        },
    )
    assert response.status_code == 302
    setting = Setting.objects.get(urn="140001")
    assert setting.authority == world.authority and setting.trust == trust
    assert setting.establishment_number == "4002"
    page = client.get(reverse("organisations:setting-edit", kwargs={"pk": setting.pk}))
    assert "DfE establishment number" in page.content.decode()
    assert "for example 2001 in 925/2001" in page.content.decode()
    for wrong in ("42", "40a2", "40021"):
        response = client.post(
            reverse("organisations:setting-edit", kwargs={"pk": setting.pk}),
            {
                "name": "Oak Academy",
                "urn": "140001",
                "establishment_number": wrong,
                "setting_type": "secondary",
                "locality": north.pk,
            },
        )
        assert response.status_code == 200
        assert "Enter the 4-digit DfE establishment number" in response.content.decode()
    setting.refresh_from_db()
    assert setting.establishment_number == "4002"
    response = client.post(
        reverse("organisations:setting-edit", kwargs={"pk": setting.pk}),
        {"name": "Oak Academy", "urn": "140001", "setting_type": "special", "locality": north.pk},
    )
    assert response.status_code == 302
    setting.refresh_from_db()
    assert setting.setting_type == "special" and setting.trust is None


def test_a_setting_cannot_join_another_authoritys_locality_or_reuse_a_urn(world, as_user):
    far_locality = world.other_authority.localities.get()
    response = as_user("la_admin").post(
        reverse("organisations:setting-create", kwargs={"pk": world.authority.pk}),
        {"name": "X", "urn": "100003", "setting_type": "primary", "locality": far_locality.pk},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "A setting with this URN is in vsend already" in page
    assert "Select a valid choice" in page
    assert not Setting.objects.filter(name="X").exists()


def test_a_platform_administrator_cannot_add_an_authority_twice(world, as_user):
    client = as_user("platform_admin")
    url = reverse("organisations:authority-create")
    existing = world.authority
    before = LocalAuthority.objects.count()
    cases = [
        (
            {"name": existing.name, "code": "999"},
            "There is a local authority with this name already",
        ),
        (
            {"name": f"  {existing.name.upper()} ", "code": "998"},
            "There is a local authority with this name already",
        ),
        ({"name": "Brand New Council", "code": existing.code}, "with this LA code already"),
        ({"name": "Brand New Council", "code": "12"}, "Enter the 3-digit local authority code"),
        ({"name": "", "code": ""}, "Enter the local authority"),
    ]
    for data, message in cases:
        response = client.post(url, data)
        page = response.content.decode()
        assert response.status_code == 200 and message in page, (data, page[:300])
        assert "There is a problem" in page
        assert data["name"].strip() in page or not data["name"]  # what was typed is kept
    assert LocalAuthority.objects.count() == before
    response = client.post(url, {"name": "Brand New Council", "code": "997"})
    assert response.status_code == 302
    assert LocalAuthority.objects.filter(name="Brand New Council", code="997").count() == 1
