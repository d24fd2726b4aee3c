"""The statutory pathway: requests from each sign-in, the clock on the case page, recording
decisions, advice, exceptions, letters, plans and reviews; audited, idempotent and bounded."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from vsend.audit.models import Action, AuditEvent
from vsend.audit.services import Actor
from vsend.statutory import services
from vsend.statutory.models import Case, CaseDocument, EhcPlan, Kind

TOKEN = "t" * 40
PDF = b"%PDF-1.7\n% a decision letter\n"


def _request(client, child, **data):
    return client.post(
        reverse("statutory:request", kwargs={"child_pk": child.pk}),
        {"reasons": "Finds reading very hard despite two terms of support.", **data},
    )


def _family_request(client, child, token=TOKEN):
    """A family's request: one question a page, then the check page sends it."""
    url = reverse("statutory:request", kwargs={"child_pk": child.pk})
    response = client.post(url, {"answer": "Finds reading very hard."})
    while "page=check" not in response.url:
        response = client.post(response.url, {"answer": "Views given"})
    assert "Views given" in client.get(response.url).content.decode()
    return client.post(response.url, {"submission_token": token})


def _case(world, received=None, persona="sendco"):
    return services.request_assessment(
        actor=Actor(user=world.users[persona]),
        child=world.child,
        requester="setting",
        setting=world.setting,
        reasons="Needs more help",
        received_on=received,
    )


@pytest.mark.parametrize(
    ("persona", "child_attr", "requester"),
    [
        ("sendco", "child", "setting"),
        ("parent", "child", "parent"),
        ("young_person", "young_person_child", "young_person"),
    ],
)
def test_it_takes_a_request_from_each_sign_in(world, as_user, persona, child_attr, requester):
    child = getattr(world, child_attr)
    client = as_user(persona)
    response = _request(client, child) if persona == "sendco" else _family_request(client, child)
    case = Case.objects.get(child=child)
    assert response.status_code == 302 and response.url == reverse(
        "statutory:case", kwargs={"pk": case.pk}
    )
    assert case.requester == requester and case.started_on == timezone.localdate()
    assert case.setting == (world.setting if requester == "setting" else None)
    row = AuditEvent.objects.filter(object_type="statutory_case", action=Action.CREATE).get()
    assert row.child_id == child.pk and row.actor == world.users[persona]


def test_the_request_page_never_speaks_of_qualifying(world, as_user):
    body = (
        as_user("parent")
        .get(reverse("statutory:request", kwargs={"child_pk": world.child.pk}))
        .content.decode()
    )
    assert "qualif" not in body.lower() and "eligib" not in body.lower()
    assert "You do not need any scores or reports" in body


@pytest.mark.parametrize("persona", ["teacher", "caseworker", "la_admin", "governor"])
def test_others_may_not_request(world, as_user, persona):
    response = _request(as_user(persona), world.child)
    assert response.status_code in (403, 404)
    assert not Case.objects.exists()


def test_a_double_submit_makes_one_request(world, as_user):
    client = as_user("sendco")
    first = _request(client, world.child, submission_token=TOKEN)
    second = _request(client, world.child, submission_token=TOKEN)
    assert first.url == second.url
    assert Case.objects.count() == 1


def test_a_family_request_keeps_answers_between_pages_and_is_sent_once(world, as_user):
    client = as_user("parent")
    url = reverse("statutory:request", kwargs={"child_pk": world.child.pk})
    too_long = client.post(url, {"answer": "x" * 4001})
    assert too_long.status_code == 200 and "4,000 characters or fewer" in too_long.content.decode()
    client.post(url, {"answer": "Reading is very hard"})
    assert "Reading is very hard" in client.get(url).content.decode()  # back to the first page
    first = _family_request(client, world.child)
    second = client.post(url + "?page=check", {"submission_token": TOKEN})
    assert Case.objects.count() == 1
    assert first.url == reverse("statutory:case", kwargs={"pk": Case.objects.get().pk})
    assert second.status_code == 302


def test_a_second_request_goes_to_the_open_one(world, as_user):
    case = _case(world)
    response = _request(as_user("parent"), world.child)
    assert response.url == reverse("statutory:case", kwargs={"pk": case.pk})
    assert Case.objects.count() == 1


def test_a_young_person_under_16_cannot_request_for_themselves(world):
    with pytest.raises(services.StatutoryError, match="16 to 25"):
        services.request_assessment(
            actor=Actor(user=None), child=world.child, requester="young_person", reasons="x"
        )


def test_request_text_is_bounded(world, as_user):
    response = _request(as_user("sendco"), world.child, reasons="x" * 4001, family_views="kept")
    assert response.status_code == 200
    body = response.content.decode()
    assert "must be 4,000 characters or fewer" in body and "kept" in body
    assert not Case.objects.exists()


def test_the_caseworker_records_decision_and_advice_and_the_family_sees_it(world, as_user):
    received = timezone.localdate() - timedelta(days=20)
    case = _case(world, received)
    cw = as_user("caseworker")
    url = reverse("statutory:record-step", kwargs={"pk": case.pk, "step": "decision_to_assess"})
    today = timezone.localdate()
    d = {"done_on-day": today.day, "done_on-month": today.month, "done_on-year": today.year}
    assert cw.post(url, {**d, "outcome": "assess"}).status_code == 302
    url = reverse("statutory:record-step", kwargs={"pk": case.pk, "step": "advice"})
    asked = {"asked_on-day": today.day, "asked_on-month": today.month, "asked_on-year": today.year}
    assert cw.post(url, {**asked, "item": "psychological"}).status_code == 302
    step = case.steps.get(step="advice")
    assert step.item == "psychological" and step.done_on is None
    page = as_user("parent").get(reverse("statutory:case", kwargs={"pk": case.pk})).content.decode()
    assert "What happens next" in page
    due = today + timedelta(weeks=6)
    assert f"{due.day} {due:%B %Y}" in page  # the advice is due 6 weeks after it was asked for
    assert "Deciding whether to carry out an assessment" in page
    final = received + timedelta(weeks=20)
    assert f"{final.day} {final:%B %Y}" in page
    # Each write is audited, with the child named.
    writes = AuditEvent.objects.filter(
        object_type="statutory_case", action__in=[Action.CREATE, Action.UPDATE]
    )
    assert writes.count() == 3 and set(writes.values_list("child_id", flat=True)) == {
        world.child.pk
    }


def test_a_date_in_the_future_is_refused_without_a_500(world, as_user):
    case = _case(world)
    later = timezone.localdate() + timedelta(days=3)
    url = reverse("statutory:record-step", kwargs={"pk": case.pk, "step": "decision_to_assess"})
    response = as_user("caseworker").post(
        url,
        {
            "done_on-day": later.day,
            "done_on-month": later.month,
            "done_on-year": later.year,
            "outcome": "assess",
            "note": "kept note",
        },
    )
    assert response.status_code == 200
    assert "must be today or in the past" in response.content.decode()
    assert "kept note" in response.content.decode()
    assert not case.steps.exists()


def test_an_exception_moves_the_due_dates_on_the_case_page(world, as_user):
    received = date(2026, 1, 5)
    case = _case(world, received)
    services.record_exception(
        actor=Actor(user=world.users["caseworker"]),
        case=case,
        kind="away_from_area",
        starts_on=date(2026, 1, 12),
        ends_on=date(2026, 2, 8),
        note="Abroad with family",
    )
    page = (
        as_user("caseworker")
        .get(reverse("statutory:case", kwargs={"pk": case.pk}))
        .content.decode()
    )
    assert "16 March 2026" in page  # 16 February moved by 28 days
    assert "moved 28 days by exceptions" in page


def test_a_short_absence_is_not_an_exception(world):
    case = _case(world, date(2026, 1, 5))
    with pytest.raises(services.StatutoryError, match="4 weeks or more"):
        services.record_exception(
            actor=Actor(user=None),
            case=case,
            kind="away_from_area",
            starts_on=date(2026, 1, 12),
            ends_on=date(2026, 1, 20),
            note="A week away",
        )


def test_deciding_not_to_assess_closes_the_case_and_allows_a_new_request(world):
    case = _case(world, timezone.localdate() - timedelta(days=10))
    services.record_step(
        actor=Actor(user=None),
        case=case,
        step="decision_to_assess",
        done_on=timezone.localdate(),
        outcome="not_assess",
    )
    case.refresh_from_db()
    assert case.closed_on == timezone.localdate()
    assert _case(world).pk != case.pk


def test_letters_are_bounded_files_the_family_can_read(world, as_user, settings):
    case = _case(world)
    cw = as_user("caseworker")
    url = reverse("statutory:letter-add", kwargs={"pk": case.pk})
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = cw.post(
        url, {"kind": "decision_to_assess", "file": SimpleUploadedFile("x.pdf", b"MZ not a pdf")}
    )
    assert bad.status_code == 200 and "must be a PDF or a Word document" in bad.content.decode()
    settings.FILE_UPLOAD_LIMIT_BYTES = 1024
    big = cw.post(
        url,
        {"kind": "decision_to_assess", "file": SimpleUploadedFile("big.pdf", PDF + b"0" * 5000)},
    )
    assert big.status_code == 200 and "smaller than" in big.content.decode()
    settings.FILE_UPLOAD_LIMIT_BYTES = 10 * 1024 * 1024
    for _ in range(2):  # sent twice: kept once
        ok = cw.post(
            url, {"kind": "decision_to_assess", "file": SimpleUploadedFile("letter.pdf", PDF)}
        )
        assert ok.status_code == 302
    doc = CaseDocument.objects.get()
    download = reverse("statutory:letter", kwargs={"pk": case.pk, "doc_pk": doc.pk})
    got = as_user("parent").get(download)
    assert got.status_code == 200 and got.content == PDF
    assert got["Content-Type"] == "application/pdf"
    assert as_user("other_setting").get(download).status_code == 404
    assert as_user("teacher").get(download).status_code == 403


def test_issuing_the_final_plan_closes_the_assessment_and_starts_the_review_clock(world, as_user):
    case = _case(world, timezone.localdate() - timedelta(weeks=19))
    actor = Actor(user=world.users["caseworker"])
    services.record_step(
        actor=actor,
        case=case,
        step="decision_to_assess",
        done_on=timezone.localdate() - timedelta(weeks=14),
        outcome="assess",
    )
    plan = services.issue_final_plan(
        actor=actor,
        case=case,
        details=services.PlanDetails(
            issued_on=timezone.localdate(),
            start_date=timezone.localdate(),
            named_setting=world.setting,
        ),
        sections={"a": "Loves trains", "f": "Daily reading support"},
    )
    case.refresh_from_db()
    assert case.closed_on == timezone.localdate() and plan.section_f == "Daily reading support"
    again = services.issue_final_plan(
        actor=actor,
        case=case,
        details=services.PlanDetails(
            issued_on=timezone.localdate(),
            start_date=timezone.localdate(),
            named_setting=world.setting,
        ),
    )
    assert again.pk == plan.pk and EhcPlan.objects.count() == 1
    review = Case.objects.get(kind=Kind.ANNUAL_REVIEW)
    assert review.plan == plan and review.started_on == timezone.localdate()
    world.child.refresh_from_db()
    assert world.child.sen_provision == "E"
    page = as_user("parent").get(reverse("statutory:plan", kwargs={"pk": plan.pk}))
    assert "Daily reading support" in page.content.decode()
    # The review held and the plan kept: the next review's clock starts from the meeting.
    services.record_step(actor=actor, case=review, step="meeting", done_on=timezone.localdate())
    services.record_step(
        actor=actor, case=review, step="decision", done_on=timezone.localdate(), outcome="maintain"
    )
    review.refresh_from_db()
    assert review.closed_on is not None
    assert Case.objects.filter(kind=Kind.ANNUAL_REVIEW, closed_on__isnull=True).count() == 1


def test_a_stale_plan_save_is_refused(world):
    case = _case(world)
    actor = Actor(user=world.users["caseworker"])
    plan = services.issue_final_plan(
        actor=actor,
        case=case,
        details=services.PlanDetails(
            issued_on=timezone.localdate(), start_date=timezone.localdate(), sen_setting="EHE"
        ),
    )
    services.update_plan(actor=actor, plan=plan, version=1, sections={"a": "first"})
    with pytest.raises(services.StatutoryError, match="Someone else saved"):
        services.update_plan(actor=actor, plan=plan, version=1, sections={"a": "second"})


def test_the_worklist_shows_overdue_and_this_week_for_the_caseworker_only(world, as_user):
    late = _case(world, timezone.localdate() - timedelta(weeks=7))
    page = as_user("caseworker").get(reverse("statutory:worklist")).content.decode()
    assert "Overdue (1)" in page and world.child.full_name in page
    assert reverse("statutory:case", kwargs={"pk": late.pk}) in page
    assert as_user("sendco").get(reverse("statutory:worklist")).status_code == 403
    row = AuditEvent.objects.filter(object_type="statutory_worklist").latest("pk")
    assert row.detail["child_ids"] == [world.child.pk]


def test_a_family_sees_only_their_own_childs_case(world, as_user):
    case = _case(world)
    other = services.request_assessment(
        actor=Actor(user=None),
        child=world.classmate,
        requester="setting",
        setting=world.setting,
        reasons="x",
    )
    parent = as_user("parent")
    assert parent.get(reverse("statutory:case", kwargs={"pk": case.pk})).status_code == 200
    assert parent.get(reverse("statutory:case", kwargs={"pk": other.pk})).status_code == 404
    refused = AuditEvent.objects.filter(action=Action.ACCESS_REFUSED).latest("pk")
    assert refused.child_id == world.classmate.pk


def test_the_request_pack_holds_the_profile_cycles_and_views_and_no_made_up_provision(
    world, as_user
):
    import json

    from tests.profile_helpers import complete_profile

    complete_profile(as_user("sendco"), world.child, finalise=True)
    case = services.request_assessment(
        actor=Actor(user=world.users["parent"]),
        child=world.child,
        requester="parent",
        reasons="Reading",
        family_views="We want help",
        child_views="I like Lego",
    )
    response = as_user("caseworker").get(reverse("statutory:pack", kwargs={"pk": case.pk}))
    pack = json.loads(response.content)
    assert pack["request"]["family_views"] == "We want help"
    assert pack["request"]["child_views"] == "I like Lego"
    assert len(pack["assess_plan_do_review_cycles"]) == 1
    assert pack["current_profile"]["needs"] and pack["current_profile"]["plan"]["outcomes"]
    costed = pack["costed_provision"]
    assert costed["available"] is True and len(costed["terms"]) == 3
    assert (
        costed["provision"] == [] and costed["total_cost"] == "0.00"
    )  # none arranged: none made up
    assert (
        as_user("teacher").get(reverse("statutory:pack", kwargs={"pk": case.pk})).status_code == 403
    )


def test_the_request_pack_carries_the_childs_costed_provision_over_three_terms(world, as_user):
    import json

    from tests.provision_helpers import world_group

    group = world_group(world)  # the child and a classmate share a group at setting A1
    case = services.request_assessment(
        actor=Actor(user=world.users["parent"]),
        child=world.child,
        requester="parent",
        reasons="Reading",
        family_views="",
        child_views="",
    )
    pack = json.loads(
        as_user("caseworker").get(reverse("statutory:pack", kwargs={"pk": case.pk})).content
    )
    costed = pack["costed_provision"]
    names = {row["provision"] for row in costed["provision"]}
    assert group.provision.name in names
    assert sum(Decimal(c) for c in costed["term_costs"]) == Decimal(costed["total_cost"])
    assert Decimal(costed["total_cost"]) > 0
