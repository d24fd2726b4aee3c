"""The family wording in the API: the frameworks (scale, staff and family descriptors) and each
profile's rating with what its level means in both wordings; all in the OpenAPI schema."""

from django.urls import reverse

from tests.profile_helpers import NEEDS, complete_profile
from vsend.frameworks import registry
from vsend.frameworks.readability import grade


def test_the_frameworks_list_and_each_one_gives_the_family_wording(world, as_user):
    client = as_user("sendco")
    listed = client.get(reverse("api:frameworks"), HTTP_ACCEPT="application/json").json()
    current = [f for f in listed if f["current"]]
    assert {f["age_band"] for f in current} == {"under_5", "5_to_25"}
    assert any(not f["current"] for f in listed)  # version 1.0 is still loaded, for old profiles
    newest = next(f for f in current if f["age_band"] == "5_to_25")
    fw = client.get(newest["url"], HTTP_ACCEPT="application/json").json()
    assert fw["version"] == registry.current("5_to_25").version
    assert [lv["level"] for lv in fw["scale"]] == list(range(len(fw["scale"])))
    for d in fw["domains"]:
        assert d["has_family_wording"]
        assert len(d["family_descriptors"]) == len(d["descriptors"]) == len(fw["scale"])
        assert d["family_descriptors"] != d["descriptors"]
        for text in d["family_descriptors"]:
            assert grade(text) <= 4, text
    old = next(f for f in listed if not f["current"] and f["age_band"] == "5_to_25")
    fw = client.get(old["url"], HTTP_ACCEPT="application/json").json()
    # Files before 1.1 have no family wording: the staff words stand in, and say so.
    assert all(not d["has_family_wording"] for d in fw["domains"])
    assert fw["domains"][0]["family_descriptors"] == fw["domains"][0]["descriptors"]
    missing = reverse(
        "api:framework", kwargs={"framework_id": "nope", "version": "9.9", "age_band": "5_to_25"}
    )
    response = client.get(missing, HTTP_ACCEPT="application/json")
    assert response.status_code == 404
    assert response["content-type"] == "application/problem+json"


def test_a_profile_gives_each_level_in_staff_and_family_words(world, as_user):
    client = as_user("sendco")
    pk = complete_profile(client, world.child)
    data = client.get(reverse("api:profile", kwargs={"pk": pk}), HTTP_ACCEPT="application/json")
    data = data.json()
    fw = registry.get(
        data["framework"]["id"], data["framework"]["version"], data["framework"]["age_band"]
    )
    assert data["framework"]["name"] == fw.name
    assert data["framework"]["url"].endswith(
        reverse(
            "api:framework",
            kwargs={"framework_id": fw.id, "version": fw.version, "age_band": fw.age_band},
        )
    )
    for rating in data["ratings"]:
        d = fw.domain(rating["domain"])
        level = NEEDS[rating["domain"]]
        assert rating["need_descriptor"] == d.descriptors[level]
        assert rating["need_family_descriptor"] == d.family_descriptors[level]
        assert rating["confidence_label"] == fw.level(rating["confidence_level"]).confidence


def test_the_schema_describes_the_family_wording(world, as_user):
    schema = as_user("sendco").get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    assert "/api/v1/frameworks/" in schema["paths"]
    assert "/api/v1/frameworks/{framework_id}/{version}/{age_band}/" in schema["paths"]
    parts = schema["components"]["schemas"]
    assert "family_descriptors" in parts["Domain"]["properties"]
    assert "need_family_descriptor" in parts["Rating"]["properties"]
