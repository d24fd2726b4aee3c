"""The caseworker's statutory worklist lists children changing phase next September whose EHC
plan is overdue or at risk against the phase-transfer deadline (15 February, or 31 March from
secondary school to post-16), with a link to the phase-transfer list."""

from datetime import date
from unittest import mock

from django.urls import reverse

from vsend.accounts.policy import AccessPolicy
from vsend.audit.models import AuditEvent
from vsend.children.models import Child, Enrolment
from vsend.organisations.models import YearGroup
from vsend.statutory.models import CaseStep, EhcPlan
from vsend.statutory.selectors import worklist


def _mover(world, child, code="6", plan=True):
    setting = Enrolment.objects.current().filter(child=child).first().setting
    yg, _ = YearGroup.objects.get_or_create(
        setting=setting, code=code, defaults={"name": f"Year {code}", "position": 9}
    )
    Enrolment.objects.filter(child=child).update(year_group=yg)
    Child.objects.filter(pk=child.pk).update(sen_provision="E")
    if plan:
        return EhcPlan.objects.create(
            child=child, issued_on=date(2020, 1, 1), start_date=date(2020, 1, 1)
        )
    return None


def _work(world, persona, today):
    return worklist(AccessPolicy.for_user(world.users[persona]), today).phase_transfer


def test_at_risk_overdue_and_not_yet_due(world):
    _mover(world, world.child)
    assert _work(world, "caseworker", date(2026, 11, 30)) == []  # not due yet
    [at_risk] = _work(world, "caseworker", date(2027, 1, 20))
    assert at_risk.child == world.child and at_risk.state == "at_risk"
    assert at_risk.deadline == date(2027, 2, 15)
    [overdue] = _work(world, "caseworker", date(2027, 2, 16))
    assert overdue.state == "overdue"


def test_post_16_moves_are_due_by_31_march(world):
    _mover(world, world.child, code="11")
    [m] = _work(world, "caseworker", date(2027, 2, 20))
    assert m.deadline == date(2027, 3, 31) and m.state == "at_risk"
    assert _work(world, "caseworker", date(2027, 1, 20)) == []


def test_an_amended_plan_or_no_plan_is_not_listed(world):
    plan = _mover(world, world.child)
    review = plan.reviews.create(
        child=world.child,
        kind="annual_review",
        workflow="annual-review",
        workflow_version=1,
        started_on=date(2026, 10, 1),
    )
    CaseStep.objects.create(case=review, step="amended_plan", done_on=date(2027, 1, 10))
    assert _work(world, "caseworker", date(2027, 2, 16)) == []
    _mover(world, world.classmate, plan=False)
    assert world.classmate not in [m.child for m in _work(world, "la_admin", date(2027, 2, 16))]


def test_only_children_the_caseworker_acts_for(world):
    _mover(world, world.other_setting_child)  # not the caseworker's
    assert _work(world, "caseworker", date(2027, 2, 16)) == []
    assert [m.child for m in _work(world, "la_admin", date(2027, 2, 16))] == [
        world.other_setting_child
    ]


def test_the_page_shows_them_with_a_link_to_the_phase_list_and_audits_them(world, as_user):
    _mover(world, world.child)
    with mock.patch("vsend.statutory.views.timezone.localdate", return_value=date(2027, 2, 1)):
        page = as_user("caseworker").get(reverse("statutory:worklist")).content.decode()
    table = page.split('id="phase-transfer"')[1].split("</table>")[0]
    assert "EHC plans to amend before a change of phase next September (1)" in table
    assert world.child.full_name in table and "At risk" in table and "15 February 2027" in table
    assert reverse("transitions:phase") in page
    row = AuditEvent.objects.filter(object_type="statutory_worklist").latest("pk")
    assert world.child.pk in row.detail["child_ids"]


def test_the_page_reads_a_fixed_number_of_queries_whatever_the_movers(world, as_user):
    from tests.test_page_queries import _count

    client = as_user("la_admin")
    with mock.patch("vsend.statutory.views.timezone.localdate", return_value=date(2027, 2, 1)):
        _mover(world, world.child)
        few, _ = _count(client, reverse("statutory:worklist"))
        _mover(world, world.classmate)
        _mover(world, world.other_setting_child)
        many, html = _count(client, reverse("statutory:worklist"))
    assert many == few
    assert world.other_setting_child.full_name in html
