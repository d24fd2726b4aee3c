"""Bad input is refused clearly or cleaned by one rule, never a server error (issue 8)."""

import json
import re
from datetime import date
from unittest import mock
from urllib.parse import urlencode
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.profile_helpers import day, lock, start_profile, step_data
from vsend.children.models import Child
from vsend.config.forms import GovukDateField
from vsend.profiles.forms import StartProfileForm

MAX_ID = 2**63 - 1  # the largest id (config.ids.MAX_ID)


def urlencoded(client, url: str, data: dict[str, str]):
    """Posted as a browser posts a form (the test client otherwise sends multipart)."""
    return client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")


def _child_post(world, **extra) -> dict[str, str]:
    data = {
        "first_name": "Zoe",
        "last_name": "Example",
        "sex": "F",
        "sen_provision": "N",
        "setting": str(world.setting.pk),
        "year": "3",
        **day("date_of_birth", date(2018, 5, 5)),
        **day("started_on", date(2025, 9, 1)),
    }
    data.update(extra)
    return data


@pytest.mark.parametrize(
    "username",
    ["a" * 300 + "@example.org", "ab\x00c@example.org", "x" * 60_000, "é" * 255],
)
def test_it_never_fails_the_sign_in_page_with_odd_usernames(db, username):
    response = Client().post(
        reverse("accounts:sign-in"), {"username": username, "password": "a-wrong-password"}
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def _id_patterns(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            found += _id_patterns(entry, route)
        elif isinstance(entry, URLPattern) and "<id:" in route:
            found.append(route)
    return found


def test_every_id_in_an_address_is_bounded_to_64_bits(world, as_user):
    client = as_user("la_admin")
    routes = _id_patterns()
    assert len(routes) >= 15
    for route in routes:
        assert "<int:" not in route, route
        for too_big in (str(MAX_ID + 1), "9" * 30):
            path = "/" + re.sub(r"<id:\w+>", too_big, route)
            path = re.sub(r"<slug:\w+>", "about", path)
            response = client.get(path)
            assert response.status_code == 404, (path, response.status_code)
            if path.startswith("/api/"):
                assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    "path",
    ["/insight/authority/?authority=%00", "/children/?q=%00", "/children/?q=a%0Bb", "/?x=%FF"],
)
def test_control_characters_or_bad_utf8_in_a_query_string_are_a_400(world, as_user, path):
    response = as_user("la_admin").get(path)
    assert response.status_code == 400
    assert "web address" in response.content.decode()


def test_a_nul_in_an_api_query_is_a_400_problem(world, as_user):
    response = as_user("sendco").get("/api/v1/children/?q=%00")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 400


def test_an_unbounded_numeric_filter_is_refused_not_overflowed(world, as_user):
    response = as_user("sendco").get("/api/v1/children/", {"setting": "9" * 40})
    assert response.status_code == 400
    assert "setting" in response.json()["errors"]
    assert as_user("sendco").get("/children/", {"setting": "9" * 40}).status_code == 200


def test_invalid_utf8_in_a_form_body_is_refused_clearly(world, as_user):
    response = as_user("sendco").post(
        reverse("children:create"),
        "first_name=%FFZoe&last_name=Example",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert "not in UTF-8" in response.content.decode()
    assert not Child.objects.filter(last_name="Example").exists()


def test_control_characters_are_removed_and_text_normalised(world, as_user):
    client = as_user("sendco")
    response = client.post(
        reverse("children:create"),
        _child_post(world, first_name="Zo\x0be\x00", last_name="Rene\u0301e\x1b"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    child = Child.objects.get(first_name="Zoe")
    assert child.last_name == "Ren\u00e9e"  # NFC: one code point


def test_the_chart_stays_valid_xml_whatever_a_stored_name_holds(world, as_user):
    from tests.profile_helpers import complete_profile

    client = as_user("sendco")
    pk = complete_profile(client, world.child)
    # A name stored before the rule existed, or written outside vsend's forms.
    Child.objects.filter(pk=world.child.pk).update(first_name="Ame\x0blia\x01")
    svg = client.get(reverse("profiles:chart", kwargs={"pk": pk})).content
    ElementTree.fromstring(svg)  # noqa: S314 - our own output; raises on invalid XML
    assert b"Amelia" in svg


def test_a_deeply_nested_json_body_is_a_400_problem(world, as_user):
    client = as_user("sendco")
    pk = start_profile(client, world.child)
    body = '{"ratings": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = client.patch(f"/api/v1/profiles/{pk}/", body, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "nested" in response.json()["detail"]


def test_an_api_body_over_the_limit_is_a_413_problem(world, as_user, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client = as_user("sendco")
    pk = start_profile(client, world.child)
    body = json.dumps({"ratings": {"x": {"need_evidence": "a" * 20_000}}})
    response = client.patch(f"/api/v1/profiles/{pk}/", body, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"


def test_text_over_the_body_limit_keeps_the_text_and_says_what_is_too_long(world, as_user):
    client = as_user("sendco")
    pk = start_profile(client, world.child)
    typed = "My long answer " + "x" * 3_000_000
    data = step_data("about", pk, strengths=typed)
    response = urlencoded(
        client, reverse("profiles:step", kwargs={"pk": pk, "step": "about"}), data
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "must be 5,000 characters or fewer" in page
    assert "My long answer xxxx" in page  # what was typed comes back in the form
    assert 'class="govuk-character-count"' in page or "govuk-character-count" in page


def test_a_form_beyond_the_hard_limit_is_a_clear_413(world, as_user, settings):
    settings.VSEND_FORM_HARD_LIMIT = 1_000_000
    client = as_user("sendco")
    pk = start_profile(client, world.child)
    data = step_data("about", pk, strengths="x" * 3_000_000)
    response = urlencoded(
        client, reverse("profiles:step", kwargs={"pk": pk, "step": "about"}), data
    )
    assert response.status_code == 413
    assert "too long to save" in response.content.decode()


def test_a_date_of_birth_on_29_february_more_than_25_years_ago_is_a_form_error(world, as_user):
    with mock.patch("vsend.children.forms.timezone.localdate", return_value=date(2028, 2, 29)):
        response = as_user("sendco").post(
            reverse("children:create"), _child_post(world, **day("date_of_birth", date(1990, 1, 1)))
        )
    assert response.status_code == 200
    assert "Date of birth must be after 28 February 2002" in response.content.decode()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ((31, 12, 9999), "Assessment date must be on or before"),
        ((1, 1, 1999), "Assessment date must be on or after 1 January 2000"),
        ((1, 1, 1), "Assessment date must be on or after 1 January 2000"),
    ],
)
def test_plan_dates_are_within_a_sensible_window(typed, message):
    d, m, y = typed
    form = StartProfileForm(
        {
            "assessment_date-day": str(d),
            "assessment_date-month": str(m),
            "assessment_date-year": f"{y:04d}",
        }
    )
    assert not form.is_valid()
    assert message in form.errors["assessment_date"][0]


def test_a_review_date_years_ahead_is_refused(world, as_user):
    client = as_user("sendco")
    pk = start_profile(client, world.child)
    data = step_data("plan", pk) | day("review_date", date(9999, 12, 31))
    response = client.post(reverse("profiles:step", kwargs={"pk": pk, "step": "plan"}), data)
    assert response.status_code == 200
    assert "Review date must be on or before" in response.content.decode()
    assert lock(pk)


def test_any_date_field_has_a_window():
    field = GovukDateField(label="Date")
    with pytest.raises(Exception, match="on or after 1 January 1900"):
        field.clean(["1", "1", "1000"])


def test_long_unbroken_text_wraps_in_the_summary_and_the_pdf(world, as_user):
    from pathlib import Path

    import vsend

    css = (Path(vsend.__file__).parent / "static/vsend/vsend.css").read_text()
    assert re.search(r"\.vsend-wrap\s*\{[^}]*overflow-wrap:\s*anywhere", css)
    pdf = (Path(vsend.__file__).parent / "templates/profiles/pdf.html").read_text()
    assert "overflow-wrap: anywhere" in pdf
    client = as_user("sendco")
    pk = start_profile(client, world.child)
    client.post(
        reverse("profiles:step", kwargs={"pk": pk, "step": "about"}),
        step_data("about", pk, strengths="y" * 4000),
    )
    page = client.get(reverse("profiles:summary", kwargs={"pk": pk})).content.decode()
    assert 'class="govuk-main-wrapper vsend-wrap' in page or "vsend-wrap" in page


def _form_classes() -> list[type]:
    import importlib
    import pkgutil

    from django import forms

    import vsend

    found = []
    for info in pkgutil.walk_packages(vsend.__path__, "vsend."):
        if info.name.endswith(".forms"):
            module = importlib.import_module(info.name)
            found += [
                v
                for v in vars(module).values()
                if isinstance(v, type)
                and issubclass(v, forms.BaseForm)
                and v.__module__ == info.name
            ]
    return found


def test_every_text_field_of_every_form_is_bounded(world):
    """One rule: no text field takes text of any length (the fields made per framework domain
    included)."""
    from django import forms

    from vsend.frameworks import registry
    from vsend.profiles import forms as profile_forms

    classes = _form_classes()
    assert len(classes) >= 10
    from vsend.accounts.forms import SignInForm

    # Fields as each form class declares them; forms that finish their fields in __init__
    # are checked as made, below.
    fields = [
        (c.__name__, n, f) for c in classes if c is not SignInForm for n, f in c.base_fields.items()
    ]
    framework = registry.current("5_to_25")
    for made in (
        profile_forms.NeedsForm(framework=framework),
        profile_forms.ReadinessForm(framework=framework),
        profile_forms.HomeForm(framework=framework),
        profile_forms.PlanForm(framework=framework, previous_outcomes=[]),
    ):
        fields += [(type(made).__name__, n, f) for n, f in made.fields.items()]
    fields += [("SignInForm", n, f) for n, f in SignInForm().fields.items()]
    unbounded = [
        (form, name)
        for form, name, field in fields
        if isinstance(field, forms.CharField)
        and not any(getattr(v, "limit_value", None) for v in field.validators)
    ]
    assert unbounded == []


def test_a_long_unbroken_string_wraps_within_the_pdf_page(world, as_user):
    import io

    from pypdf import PdfReader

    client = as_user("sendco")
    pk = start_profile(client, world.child)
    client.post(
        reverse("profiles:step", kwargs={"pk": pk, "step": "about"}),
        step_data("about", pk, strengths="W" * 2000),
    )
    pdf = client.get(reverse("profiles:pdf", kwargs={"pk": pk}), follow=True).content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert text.count("W") >= 2000  # nothing cut off
    longest_line = max(len(run) for run in re.findall("W+", text))
    assert longest_line < 100  # wrapped across lines, not one line running off the page
