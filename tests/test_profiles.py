import html
import io
import re
from datetime import date

from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from tests.profile_helpers import (
    CONFIDENCE,
    NEEDS,
    READINESS,
    complete_profile,
    day,
    lock,
    start_profile,
    step_data,
)
from vsend.audit.models import Action, AuditEvent
from vsend.frameworks.loader import DOMAIN_KEYS
from vsend.profiles.models import STEP_NAMES, Profile, Status

# A review is dated after the profile it replaces (assessed 2 November 2026).
REVIEW_DATE = day("assessment_date", date(2026, 11, 20))


def test_a_sendco_completes_and_finalises_a_profile(world, as_user):
    client = as_user("sendco")
    pk = complete_profile(client, world.child)
    profile = Profile.objects.get(pk=pk)
    assert profile.status == Status.FINALISED and profile.number == 1
    assert (
        profile.framework_id == "vsend-open"
        and profile.age_band == "5_to_25"
        and len(profile.framework_checksum) == 64
    )
    ratings = {r.domain: r for r in profile.ratings.all()}
    assert {k: r.need_level for k, r in ratings.items()} == NEEDS
    assert {k: r.confidence_level for k, r in ratings.items()} == CONFIDENCE
    assert profile.home_by_family is False and profile.home_recorded_by == world.users["sendco"]
    assert profile.outcomes.count() == 1 and profile.actions.count() == 1

    page = html.unescape(
        client.get(reverse("profiles:summary", kwargs={"pk": pk})).content.decode()
    )
    assert "Recorded by Sendco on the family's behalf" in page
    # Gaps: need above readiness (communication 3 > 2), above home confidence (communication 3 > 1).
    assert "Communication and interaction: need (3) is above the setting's readiness (2)" in page
    assert "Independence: need (2) is above the setting's readiness (1)" in page
    assert (
        "Communication and interaction: need (3) is above the family's confidence at home (1)"
        in page
    )
    assert "Asks for help using a card" in page and "21 December 2026" in page


def test_a_finalised_profile_refuses_edits_on_pages_and_api(world, as_user):
    client = as_user("sendco")
    pk = complete_profile(client, world.child)
    before = Profile.objects.get(pk=pk).lock_version
    for step in ("about", "needs", "plan"):
        url = reverse("profiles:step", kwargs={"pk": pk, "step": step})
        assert client.get(url).status_code == 409
        assert client.post(url, step_data(step, pk)).status_code == 409
    assert (
        client.post(
            reverse("profiles:finalise", kwargs={"pk": pk}), {"lock_version": before}
        ).status_code
        == 409
    )
    response = client.patch(
        reverse("api:profile", kwargs={"pk": pk}),
        {"lock_version": before, "ratings": {"semh": {"need_level": 4}}},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert "finalised" in response.json()["detail"]
    profile = Profile.objects.get(pk=pk)
    assert (
        profile.lock_version == before
        and profile.ratings.get(domain="semh").need_level == NEEDS["semh"]
    )


def test_a_review_links_to_the_previous_version_and_shows_the_change(world, as_user):
    client = as_user("sendco")
    first = complete_profile(client, world.child)
    response = client.post(reverse("profiles:review", kwargs={"pk": first}))
    second = Profile.objects.get(child=world.child, number=2)
    assert response.url == reverse("profiles:tasks", kwargs={"pk": second.pk})
    assert second.previous_id == first and second.status == Status.DRAFT
    # Pre-filled from the previous version, except the family's home confidence: that is
    # asked afresh, so last term's answers never show as this term's.
    assert {r.domain: r.need_level for r in second.ratings.all()} == NEEDS
    assert {r.confidence_level for r in second.ratings.all()} == {None}
    assert second.home_recorded_by is None
    assert second.strengths == "Loves drawing and trains"
    # The review lowers communication by 2 and raises SEMH by 1, and reviews the last outcome.
    outcome = Profile.objects.get(pk=first).outcomes.get()
    for step in ("about", "needs", "readiness", "home", "plan"):
        extra = REVIEW_DATE if step == "about" else {}
        if step == "needs":
            extra = {"need__communication_interaction": "1", "need__semh": "2"}
        if step == "plan":
            extra = {
                f"review__{outcome.pk}": "partly",
                f"reviewnote__{outcome.pk}": "Uses it most days",
            }
        r = client.post(
            reverse("profiles:step", kwargs={"pk": second.pk, "step": step}),
            step_data(step, second.pk, **extra),
        )
        assert r.status_code == 302, r.content.decode()[:3000]
    data = client.get(reverse("api:profile", kwargs={"pk": second.pk})).json()
    change = {r["domain"]: r["change_since_previous"] for r in data["ratings"]}
    assert change == {
        "communication_interaction": -2,
        "cognition_learning": 0,
        "semh": 1,
        "physical_sensory": 0,
        "independence": 0,
    }
    assert data["previous"] == first
    assert data["plan"]["outcome_reviews"] == [
        {"outcome": outcome.pk, "result": "partly", "note": "Uses it most days"}
    ]
    page = client.get(reverse("profiles:summary", kwargs={"pk": second.pk})).content.decode()
    assert "down 2" in page and "up 1" in page and "series-previous" in page


def test_a_stale_save_is_refused_and_the_input_kept(world, as_user):
    pk = start_profile(as_user("sendco"), world.child)
    stale = step_data("about", pk, strengths="My stale strengths")
    assert (
        as_user("la_admin")
        .post(
            reverse("profiles:step", kwargs={"pk": pk, "step": "about"}),
            step_data("about", pk, strengths="Saved first"),
        )
        .status_code
        == 302
    )
    response = as_user("sendco").post(
        reverse("profiles:step", kwargs={"pk": pk, "step": "about"}), stale
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Someone else saved this profile while you were working on it" in page
    assert "My stale strengths" in page
    assert Profile.objects.get(pk=pk).strengths == "Saved first"


def test_the_api_refuses_a_stale_patch(world, as_user):
    client = as_user("sendco")
    pk = start_profile(client, world.child)
    url = reverse("api:profile", kwargs={"pk": pk})
    version = int(lock(pk))
    ok = client.patch(
        url,
        {"lock_version": version, "ratings": {"semh": {"need_level": 2}}},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["lock_version"] == version + 1
    stale = client.patch(
        url,
        {"lock_version": version, "ratings": {"semh": {"need_level": 4}}},
        content_type="application/json",
    )
    assert stale.status_code == 409
    bad = client.patch(
        url,
        {"lock_version": version + 1, "ratings": {"semh": {"need_level": 9}}},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert Profile.objects.get(pk=pk).ratings.get(domain="semh").need_level == 2


def test_the_chart_has_three_series_with_the_right_values(world, as_user):
    client = as_user("sendco")
    pk = complete_profile(client, world.child)
    svg = client.get(reverse("api:profile-chart", kwargs={"pk": pk})).content.decode()
    series = dict(re.findall(r'class="series series-(\w+)" data-values="([\d,]+)"', svg))
    assert series == {
        "need": ",".join(str(NEEDS[k]) for k in DOMAIN_KEYS),
        "readiness": ",".join(str(READINESS[k]) for k in DOMAIN_KEYS),
        "confidence": ",".join(str(CONFIDENCE[k]) for k in DOMAIN_KEYS),
    }
    assert 'stroke="#1d70b8"' in svg and 'stroke="#00703c"' in svg and 'stroke="#d53880"' in svg
    assert "stroke-dasharray" in svg and "<rect" in svg and "<circle" in svg  # patterns and markers
    assert "<title" in svg and "<desc" in svg
    page = client.get(reverse("profiles:summary", kwargs={"pk": pk})).content.decode()
    assert "<svg" in page and '<table class="govuk-table vsend-ratings">' in page


def test_the_pdf_is_valid_and_holds_the_name_and_the_five_domains(world, as_user):
    client = as_user("sendco")
    pk = complete_profile(client, world.child)
    for url in (
        reverse("profiles:pdf", kwargs={"pk": pk}),
        reverse("api:profile-pdf", kwargs={"pk": pk}),
    ):
        response = client.get(url, follow=True)
        assert response["Content-Type"] == "application/pdf"
        reader = PdfReader(io.BytesIO(response.content))
        text = " ".join(page.extract_text() for page in reader.pages)
        text = re.sub(r"\s+", " ", text)
        assert len(reader.pages) >= 2
        assert text.count("Amelia Test") >= len(reader.pages)  # the name on every page
        assert f"Page 1 of {len(reader.pages)}" in text
        for name in (
            "Communication and interaction",
            "Cognition and learning",
            "Social, emotional and mental health",
            "Physical and sensory",
            "Independence",
        ):
            assert name in text


def test_a_parent_gives_home_confidence_one_question_at_a_time(world, as_user):
    pk = start_profile(as_user("sendco"), world.child)
    parent = as_user("parent")
    assert parent.get(reverse("profiles:family-start", kwargs={"pk": pk})).status_code == 200
    first = reverse("profiles:family-question", kwargs={"pk": pk, "domain": DOMAIN_KEYS[0]})
    missing = parent.post(first, {"level": ""})
    assert "Select the answer that fits your family best" in html.unescape(missing.content.decode())
    for i, key in enumerate(DOMAIN_KEYS):
        r = parent.post(
            reverse("profiles:family-question", kwargs={"pk": pk, "domain": key}),
            {"level": str(CONFIDENCE[key]), "note": "At bedtime" if i == 0 else ""},
        )
        assert r.status_code == 302
    assert r.url == reverse("profiles:family-check", kwargs={"pk": pk})
    check = html.unescape(parent.get(r.url).content.decode())
    assert "Check your answers" in check and "At bedtime" in check
    assert Profile.objects.get(pk=pk).home_recorded_by is None  # nothing saved until they send
    done = parent.post(r.url, {"lock_version": lock(pk)})
    assert "Your answers have been sent" in done.content.decode()
    profile = Profile.objects.get(pk=pk)
    assert profile.home_by_family and profile.home_recorded_by == world.users["parent"]
    assert {r.domain: r.confidence_level for r in profile.ratings.all()} == CONFIDENCE
    assert "home" in profile.completed_steps


def test_profiles_outside_the_scope_are_404_on_pages_and_api_and_audited(world, as_user):
    pk = complete_profile(as_user("sendco"), world.child)
    outsider = as_user("other_setting")
    for url in (
        reverse("profiles:summary", kwargs={"pk": pk}),
        reverse("api:profile", kwargs={"pk": pk}),
        reverse("api:profile-chart", kwargs={"pk": pk}),
        reverse("profiles:pdf", kwargs={"pk": pk}),
        reverse("api:child-profiles", kwargs={"pk": world.child.pk}),
    ):
        assert outsider.get(url).status_code == 404, url
    assert (
        AuditEvent.objects.filter(
            actor=world.users["other_setting"], action=Action.ACCESS_REFUSED
        ).count()
        == 5
    )


def test_every_view_and_change_of_a_profile_is_audited(world, as_user):
    client = as_user("sendco")
    pk = complete_profile(client, world.child)
    changes = AuditEvent.objects.filter(
        object_type="profile", object_id=str(pk), child_id=world.child.pk
    )
    summaries = list(changes.filter(action=Action.UPDATE).values_list("summary", flat=True))
    assert len(summaries) == 6 and "Profile 1 finalised" in summaries
    assert changes.filter(action=Action.CREATE).count() == 1
    for url in (
        reverse("profiles:summary", kwargs={"pk": pk}),
        reverse("api:profile", kwargs={"pk": pk}),
        reverse("profiles:chart", kwargs={"pk": pk}),
    ):
        before = changes.filter(action=Action.VIEW).count()
        client.get(url)
        assert changes.filter(action=Action.VIEW).count() == before + 1


def test_starting_a_profile_for_someone_26_or_over_is_refused(world, as_user):
    world.child.date_of_birth = world.child.date_of_birth.replace(year=1990)
    world.child.save()
    response = as_user("sendco").post(
        reverse("profiles:start", kwargs={"child_pk": world.child.pk}),
        {"assessment_date-day": "2", "assessment_date-month": "11", "assessment_date-year": "2026"},
    )
    assert "26th birthday" in html.unescape(response.content.decode())
    assert not Profile.objects.exists()


def test_using_the_other_version_needs_a_reason(world, as_user):
    client = as_user("sendco")
    url = reverse("profiles:start", kwargs={"child_pk": world.child.pk})
    data = {
        "assessment_date-day": "2",
        "assessment_date-month": "11",
        "assessment_date-year": "2026",
        "age_band": "under_5",
    }
    response = client.post(url, data)
    assert "Give a reason" in response.content.decode()
    assert (
        client.post(
            url, data | {"reason": "Development better described by the early years version"}
        ).status_code
        == 302
    )
    assert Profile.objects.get().age_band == "under_5"


def test_a_teacher_reads_but_cannot_edit_and_an_la_officer_finds_nothing(world, as_user):
    pk = complete_profile(as_user("sendco"), world.child, finalise=False)
    teacher = as_user("teacher")
    assert teacher.get(reverse("profiles:summary", kwargs={"pk": pk})).status_code == 200
    assert (
        teacher.get(reverse("profiles:step", kwargs={"pk": pk, "step": "needs"})).status_code == 403
    )
    assert (
        as_user("la_officer").get(reverse("profiles:summary", kwargs={"pk": pk})).status_code == 404
    )
    assert Client().get(reverse("api:profile", kwargs={"pk": pk})).status_code == 401


def test_the_child_record_shows_the_history_and_the_change(world, as_user):
    client = as_user("sendco")
    first = complete_profile(client, world.child)
    client.post(reverse("profiles:review", kwargs={"pk": first}))
    second = Profile.objects.get(child=world.child, number=2)
    for step in ("about", "needs", "readiness", "home", "plan"):
        extra = {"need__semh": "3"} if step == "needs" else {}
        if step == "about":
            extra = REVIEW_DATE
        if step == "plan":
            outcome = Profile.objects.get(pk=first).outcomes.get()
            extra = {f"review__{outcome.pk}": "achieved"}
        client.post(
            reverse("profiles:step", kwargs={"pk": second.pk, "step": step}),
            step_data(step, second.pk, **extra),
        )
    client.post(
        reverse("profiles:finalise", kwargs={"pk": second.pk}), {"lock_version": lock(second.pk)}
    )
    page = client.get(reverse("children:detail", kwargs={"pk": world.child.pk})).content.decode()
    assert "Profile 1" in page and "Profile 2" in page
    assert "up 2" in page  # SEMH went from 1 to 3
    assert "series-previous" in page and "with needs at the profile before" in page


def test_every_step_page_and_the_summary_render_for_a_draft_and_a_review(world, as_user):
    client = as_user("sendco")
    first = complete_profile(client, world.child)
    client.post(reverse("profiles:review", kwargs={"pk": first}))
    second = Profile.objects.get(child=world.child, number=2)
    for step in ("about", "home"):
        response = client.get(reverse("profiles:step", kwargs={"pk": second.pk, "step": step}))
        assert response.status_code == 200, step
        assert STEP_NAMES[step] in response.content.decode()
    # Needs, readiness and the plan are one page per area, starting with the first not done.
    for step, name in (("needs", "need"), ("readiness", "readiness"), ("plan", "plan")):
        response = client.get(reverse("profiles:step", kwargs={"pk": second.pk, "step": step}))
        assert response.url == reverse(
            f"profiles:{name}", kwargs={"pk": second.pk, "domain": "communication_interaction"}
        )
    for key in DOMAIN_KEYS:
        page = client.get(reverse("profiles:need", kwargs={"pk": second.pk, "domain": key}))
        assert page.status_code == 200 and "This area covers" in page.content.decode()
        page = client.get(reverse("profiles:readiness", kwargs={"pk": second.pk, "domain": key}))
        assert page.status_code == 200 and "What is already in place" in page.content.decode()
        page = client.get(reverse("profiles:plan", kwargs={"pk": second.pk, "domain": key}))
        assert page.status_code == 200
    plan = html.unescape(
        client.get(
            reverse(
                "profiles:plan",
                kwargs={"pk": second.pk, "domain": "communication_interaction"},
            )
        ).content.decode()
    )
    assert "How did last time's outcome go?" in plan and "Asks for help using a card" in plan
    review = client.get(reverse("profiles:review-date", kwargs={"pk": second.pk}))
    assert review.status_code == 200 and "Review date" in review.content.decode()
    assert client.get(reverse("profiles:summary", kwargs={"pk": second.pk})).status_code == 200
    assert (
        client.get(reverse("profiles:start", kwargs={"child_pk": world.child.pk})).status_code
        == 302
    )


def test_a_profile_with_a_missing_level_cannot_be_finalised(world, as_user):
    client = as_user("sendco")
    pk = complete_profile(client, world.child, finalise=False)
    url = reverse("api:profile", kwargs={"pk": pk})
    nulled = client.patch(
        url,
        {"lock_version": int(lock(pk)), "ratings": {"semh": {"need_level": None}}},
        content_type="application/json",
    )
    assert nulled.status_code == 400
    Profile.objects.get(pk=pk).ratings.filter(domain="semh").update(readiness_level=None)
    response = client.post(
        reverse("profiles:finalise", kwargs={"pk": pk}), {"lock_version": lock(pk)}
    )
    assert response.status_code == 409
    assert Profile.objects.get(pk=pk).status == Status.DRAFT


def test_staff_changing_home_confidence_through_the_api_no_longer_credit_the_family(world, as_user):
    pk = start_profile(as_user("sendco"), world.child)
    parent = as_user("parent")
    for key in DOMAIN_KEYS:
        parent.post(
            reverse("profiles:family-question", kwargs={"pk": pk, "domain": key}), {"level": "2"}
        )
    parent.post(reverse("profiles:family-check", kwargs={"pk": pk}), {"lock_version": lock(pk)})
    assert Profile.objects.get(pk=pk).home_by_family
    as_user("sendco").patch(
        reverse("api:profile", kwargs={"pk": pk}),
        {"lock_version": int(lock(pk)), "ratings": {"semh": {"confidence_level": 0}}},
        content_type="application/json",
    )
    profile = Profile.objects.get(pk=pk)
    assert not profile.home_by_family and profile.home_recorded_by == world.users["sendco"]


def test_odd_dates_are_form_errors_not_crashes(world, as_user):
    client = as_user("sendco")
    url = reverse("profiles:start", kwargs={"child_pk": world.child.pk})
    for typed_day, year in (("²", "2026"), ("1", "9" * 5000), ("001", "2026")):
        response = client.post(
            url,
            {
                "assessment_date-day": typed_day,
                "assessment_date-month": "11",
                "assessment_date-year": year,
            },
        )
        assert response.status_code == 200
        assert "Assessment date must" in html.unescape(response.content.decode())
    assert not Profile.objects.exists()


def test_the_about_step_checks_a_changed_assessment_date(world, as_user):
    client = as_user("sendco")
    pk = start_profile(client, world.child)
    url = reverse("profiles:step", kwargs={"pk": pk, "step": "about"})
    before_birth = client.post(url, step_data("about", pk, **{"assessment_date-year": "2017"}))
    assert "before the child's date of birth" in html.unescape(before_birth.content.decode())
    under_five = client.post(url, step_data("about", pk, **{"assessment_date-year": "2021"}))
    assert "the other version of the framework" in html.unescape(under_five.content.decode())
    assert Profile.objects.get(pk=pk).assessment_date.year == 2026


def test_a_profile_whose_framework_file_changed_is_refused_plainly(world, as_user):
    client = as_user("sendco")
    pk = complete_profile(client, world.child)
    Profile.objects.filter(pk=pk).update(framework_checksum="0" * 64)
    page = client.get(reverse("profiles:summary", kwargs={"pk": pk}))
    assert page.status_code == 503 and "This profile cannot be shown" in page.content.decode()
    assert client.get(reverse("api:profile", kwargs={"pk": pk})).status_code == 503


def test_the_api_list_of_a_childs_profiles_is_audited(world, as_user):
    as_user("sendco").get(reverse("api:child-profiles", kwargs={"pk": world.child.pk}))
    assert AuditEvent.objects.filter(
        action=Action.VIEW, child_id=world.child.pk, summary="Profile list viewed"
    ).exists()
