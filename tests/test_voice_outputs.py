"""The three views of need and the child's own view beyond the profile's page: in the profile
PDF (staff and family copies) and in the API (ADR 28)."""

from django.urls import reverse

from tests.profile_helpers import NEEDS, complete_profile
from tests.test_pdfs import run_on
from tests.test_voice import _child_view, _family_view
from vsend.frameworks.loader import DOMAIN_KEYS
from vsend.profiles import selectors
from vsend.profiles.models import Profile
from vsend.profiles.pdf import profile_pdf


def _three_views(world, as_user):
    """Setting: NEEDS = 3, 2, 1, 0, 2. The family agrees but for one area (2 where the setting
    says 0); the child gives two areas (1 and 2)."""
    sendco = as_user("sendco")
    pk = complete_profile(sendco, world.child, finalise=False)
    _family_view(world, pk, NEEDS | {DOMAIN_KEYS[3]: 2})
    _child_view(world, {DOMAIN_KEYS[0]: 1, DOMAIN_KEYS[1]: 2})
    return pk


def _text(pdf: bytes) -> str:
    """The PDF's words in reading order, cell by cell (table cells wrap)."""
    return " ".join(run_on(pdf, "pdftotext").split())


def test_the_staff_pdf_shows_the_three_views_and_the_childs_series(world, as_user):
    pk = _three_views(world, as_user)
    view = selectors.profile_view(Profile.objects.get(pk=pk))
    text = _text(profile_pdf(view))
    assert "Three views of need" in text
    assert "The child's view is from All about me, sent on" in text
    assert "3: Significant need" in text and "1: This is mostly fine for me" in text
    assert text.count("Views differ by 2 levels") == 2
    assert "The child's own view" in text  # the chart's key: the fourth series
    assert "Not given" in text


def test_the_family_pdf_shows_the_three_views_in_family_words(world, as_user):
    pk = _three_views(world, as_user)
    view = selectors.profile_view(Profile.objects.get(pk=pk))
    text = _text(profile_pdf(view, family=True))
    assert "How each of us sees it" in text
    assert f"what you think and what {world.child.full_name} thinks" in text
    assert "A lot of extra help" in text  # the setting's 3, in the families' words
    assert "Views differ by" not in text and text.count("Something to talk about") == 2
    own = _text(profile_pdf(view, family=True, own_record=True))
    assert "what your family thinks and what you think" in own


def test_the_api_gives_the_familys_and_the_childs_view_of_each_area(world, as_user):
    pk = _three_views(world, as_user)
    data = (
        as_user("sendco")
        .get(reverse("api:profile", kwargs={"pk": pk}), HTTP_ACCEPT="application/json")
        .json()
    )
    rows = {r["domain"]: r for r in data["ratings"]}
    first, fourth, third = rows[DOMAIN_KEYS[0]], rows[DOMAIN_KEYS[3]], rows[DOMAIN_KEYS[2]]
    assert first["child_view_level"] == 1 and first["child_view_label"]
    assert first["family_view_level"] == NEEDS[DOMAIN_KEYS[0]]
    assert first["views_to_talk_about"] is True  # 3 and 1
    assert fourth["family_view_level"] == 2 and fourth["views_to_talk_about"] is True
    assert third["child_view_level"] is None and third["child_view_label"] is None
    assert data["child_view"]["version"] == 1
    svg = as_user("sendco").get(reverse("api:profile-chart", kwargs={"pk": pk}))
    assert "marker-child" in svg.content.decode()


def test_only_those_who_may_open_the_profile_get_the_views(world, as_user):
    pk = _three_views(world, as_user)
    url = reverse("api:profile", kwargs={"pk": pk})
    for persona in ("other_setting", "other_authority", "governor"):
        response = as_user(persona).get(url, HTTP_ACCEPT="application/json")
        assert response.status_code in (403, 404), persona
        assert "child_view" not in response.content.decode()


def test_the_schema_describes_the_three_views(world, as_user):
    schema = as_user("sendco").get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    parts = schema["components"]["schemas"]
    for field in ("family_view_level", "child_view_level", "views_to_talk_about"):
        assert field in parts["Rating"]["properties"]
    assert "child_view" in parts["ProfileDetail"]["properties"]


def test_no_views_given_reads_as_not_given(world, as_user):
    pk = complete_profile(as_user("sendco"), world.child)
    data = (
        as_user("sendco")
        .get(reverse("api:profile", kwargs={"pk": pk}), HTTP_ACCEPT="application/json")
        .json()
    )
    assert data["child_view"] is None
    assert all(r["child_view_level"] is None for r in data["ratings"])
    assert all(r["views_to_talk_about"] is False for r in data["ratings"])
    text = _text(profile_pdf(selectors.profile_view(Profile.objects.get(pk=pk))))
    assert "The child has not sent All about me yet." in text
