"""Plan outcomes by area (need, provision and outcome as one thread), annual reviews prepared
by the setting with preparing for adulthood from Year 9, requests received by letter, and
withdrawing a request; with their clock effects."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.test_statutory_api import issued_plan
from vsend.audit.models import Action, AuditEvent
from vsend.audit.services import Actor
from vsend.statutory import services
from vsend.statutory.models import AdulthoodPart, Case, PlanOutcome
from vsend.statutory.selectors import clock


def _day(prefix: str, d) -> dict[str, int]:
    return {f"{prefix}-day": d.day, f"{prefix}-month": d.month, f"{prefix}-year": d.year}


def test_a_plan_outcome_names_areas_and_the_plan_shows_need_provision_and_outcome(world, as_user):
    from tests.profile_helpers import complete_profile
    from tests.provision_helpers import world_group

    complete_profile(as_user("sendco"), world.child, finalise=True)
    world_group(world)
    _, plan = issued_plan(world)
    cw = as_user("caseworker")
    url = reverse("statutory:plan-outcome", kwargs={"pk": plan.pk})
    # Bad input: a specific message, and what was typed is kept.
    page = cw.post(url, {"outcome": "Talks with two friends at play", "submission_token": "a" * 40})
    body = page.content.decode()
    assert page.status_code == 200
    assert "Choose the area or areas of need this outcome is about" in body
    assert "Talks with two friends at play" in body
    data = {
        "areas": ["communication_interaction", "semh"],
        "outcome": "Talks with two friends at play",
        "provision": "Talk time twice a week",
        "submission_token": "b" * 40,
    }
    assert cw.post(url, data).status_code == 302
    assert cw.post(url, data).status_code == 302  # a double click: one outcome
    assert PlanOutcome.objects.filter(plan=plan).count() == 1
    for persona in ("caseworker", "parent"):
        page = as_user(persona).get(reverse("statutory:plan", kwargs={"pk": plan.pk}))
        body = page.content.decode()
        row = body.split("Communication and interaction</th>")[1].split("</tr>")[0]
        assert "Talk time" in row and "Talks with two friends at play" in row
        semh = body.split("Social, emotional and mental health</th>")[1].split("</tr>")[0]
        assert "Talks with two friends at play" in semh and "None recorded" in semh
    assert AuditEvent.objects.filter(summary="EHC plan outcome added").count() == 1


def test_the_setting_prepares_the_review_and_the_caseworker_decides(world, as_user):
    _, plan = issued_plan(world)
    review = plan.reviews.get()
    sendco = as_user("sendco")
    page = sendco.get(reverse("statutory:case", kwargs={"pk": review.pk})).content.decode()
    assert "Need, provision and outcomes by area" in page
    assert reverse("statutory:record-step", kwargs={"pk": review.pk, "step": "meeting"}) in page
    assert "Preparing for adulthood" not in page  # Year 3
    today = timezone.localdate()
    url = reverse("statutory:record-step", kwargs={"pk": review.pk, "step": "meeting"})
    assert sendco.post(url, _day("done_on", today)).status_code == 302
    decision = reverse("statutory:record-step", kwargs={"pk": review.pk, "step": "decision"})
    assert sendco.get(decision).status_code == 403  # the local authority decides
    cw = as_user("caseworker")
    assert cw.post(decision, {**_day("done_on", today), "outcome": "maintain"}).status_code == 302
    review.refresh_from_db()
    assert review.closed_on == today
    assert Case.objects.filter(kind="annual_review", plan=plan, closed_on__isnull=True).exists()


def test_from_year_9_the_review_records_preparing_for_adulthood(world, as_user):
    actor = Actor(user=world.users["caseworker"])
    today = timezone.localdate()
    case = services.request_assessment(
        actor=actor,
        child=world.young_person_child,
        requester="young_person",
        reasons="College course needs support",
        received_on=today - timedelta(weeks=18),
    )
    plan = services.issue_final_plan(
        actor=actor,
        case=case,
        details=services.PlanDetails(issued_on=today, start_date=today, sen_setting="OTH"),
    )
    review = plan.reviews.get()
    assert services.adulthood_applies(review)
    page = as_user("sendco").get(reverse("statutory:case", kwargs={"pk": review.pk}))
    assert "Preparing for adulthood" in page.content.decode()
    url = reverse("statutory:adulthood", kwargs={"pk": review.pk})
    empty = as_user("sendco").post(url, {})
    assert "Write about at least one part" in empty.content.decode()
    long = as_user("sendco").post(url, {"employment": "x" * 1001})
    assert "Employment must be 1,000 characters or fewer" in long.content.decode()
    saved = as_user("sendco").post(
        url, {"employment": "Wants a supported internship at the garden centre", "health": ""}
    )
    assert saved.status_code == 302
    part = AdulthoodPart.objects.get(review=review)
    assert part.employment.startswith("Wants a supported internship")
    page = as_user("young_person").get(reverse("statutory:case", kwargs={"pk": review.pk}))
    assert "supported internship at the garden centre" in page.content.decode()
    assert as_user("young_person").get(url).status_code == 403
    assert AuditEvent.objects.filter(summary="Preparing for adulthood recorded").exists()


def test_a_request_by_letter_counts_from_the_day_it_was_received(world, as_user):
    cw = as_user("caseworker")
    url = reverse("statutory:request-received", kwargs={"child_pk": world.child.pk})
    received = timezone.localdate() - timedelta(days=30)
    future = timezone.localdate() + timedelta(days=3)
    data = {
        "requester": "parent",
        "received_how": "letter",
        "received_note": "Post room ref 4471",
        "reasons": "A letter from Amelia's mother about reading",
    }
    page = cw.post(url, {**data, **_day("received_on", future), "submission_token": "c" * 40})
    body = page.content.decode()
    assert page.status_code == 200 and "must be today or in the past" in body
    assert "A letter from Amelia" in body and "mother about reading" in body
    response = cw.post(url, {**data, **_day("received_on", received), "submission_token": "d" * 40})
    case = Case.objects.get(child=world.child)
    assert response.status_code == 302 and response.url.endswith(f"/{case.pk}/")
    assert case.started_on == received and case.received_how == "letter"
    assert case.requester == "parent" and case.requested_by == world.users["caseworker"]
    decision = next(m for m in clock(case, timezone.localdate()) if m.key == "decision_to_assess")
    assert decision.due_on == received + timedelta(weeks=6)
    page = as_user("parent").get(reverse("statutory:case", kwargs={"pk": case.pk}))
    assert page.status_code == 200
    staff_page = cw.get(reverse("statutory:case", kwargs={"pk": case.pk})).content.decode()
    assert "By letter. Post room ref 4471" in staff_page


def test_a_family_withdraws_a_request_and_the_clock_stops(world, as_user):
    case = services.request_assessment(
        actor=Actor(user=world.users["parent"]),
        child=world.child,
        requester="parent",
        reasons="Reading",
    )
    parent = as_user("parent")
    url = reverse("statutory:withdraw", kwargs={"pk": case.pk})
    assert (
        reverse("statutory:withdraw", kwargs={"pk": case.pk})
        in parent.get(reverse("statutory:case", kwargs={"pk": case.pk})).content.decode()
    )
    today = timezone.localdate()
    blank = parent.post(url, {**_day("on", today), "reason": ""})
    assert "Say why the request is being withdrawn" in blank.content.decode()
    # A setting may withdraw only a request it made.
    assert as_user("sendco").get(url).status_code == 403
    case_page = as_user("sendco").get(reverse("statutory:case", kwargs={"pk": case.pk}))
    assert url not in case_page.content.decode()
    done = parent.post(url, {**_day("on", today), "reason": "Things are better at school now"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.withdrawn and case.withdrawn_by == "family" and case.closed_on == today
    assert all(m.status in ("done", "not_needed") for m in clock(case, today))
    again = parent.post(url, {**_day("on", today), "reason": "Again"})
    assert again.status_code == 302
    assert AuditEvent.objects.filter(summary="Request withdrawn", action=Action.UPDATE).count() == 1
    # A new request can be made afterwards.
    assert Case.objects.filter(child=world.child, closed_on__isnull=True).count() == 0


def test_a_setting_withdraws_its_own_request_and_a_caseworker_records_who_did(world, as_user):
    case = services.request_assessment(
        actor=Actor(user=world.users["sendco"]),
        child=world.child,
        requester="setting",
        setting=world.setting,
        reasons="Reading",
    )
    url = reverse("statutory:withdraw", kwargs={"pk": case.pk})
    case_page = as_user("sendco").get(reverse("statutory:case", kwargs={"pk": case.pk}))
    assert url in case_page.content.decode()
    page = as_user("sendco").get(url).content.decode()
    assert "Who is withdrawing" not in page  # the setting withdraws as itself
    page = as_user("caseworker").get(url).content.decode()
    assert "Who is withdrawing the request?" in page
    today = timezone.localdate()
    response = as_user("caseworker").post(
        url, {"by": "setting", **_day("on", today), "reason": "Needs are being met"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.withdrawn_by == "setting" and case.withdrawn_reason == "Needs are being met"
