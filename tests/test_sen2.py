"""The person-level SEN2 return: its structure, its validation report, and the demo's return."""

from datetime import date
from xml.etree.ElementTree import fromstring

import pytest
from django.utils import timezone

from vsend.audit.services import Actor
from vsend.statutory import sen2, services
from vsend.statutory.models import CaseStep


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2026, date(2026, 1, 15)),
        (2027, date(2027, 1, 21)),
        (2025, date(2025, 1, 16)),
        (2028, date(2028, 1, 20)),
    ],
)
def test_the_reference_date_is_the_third_thursday_of_january(year, expected):
    assert sen2.reference_date(year) == expected


def _issued(world, received, decided, issued):
    actor = Actor(user=None)
    case = services.request_assessment(
        actor=actor, child=world.child, requester="parent", reasons="x", received_on=received
    )
    CaseStep.objects.create(case=case, step="decision_to_assess", done_on=decided, outcome="assess")
    plan = services.issue_final_plan(
        actor=actor,
        case=case,
        details=services.PlanDetails(
            issued_on=issued, start_date=issued, named_setting=world.setting, personal_budget=True
        ),
    )
    return case, plan


def test_a_child_with_a_plan_appears_in_every_module(world):
    _issued(world, date(2026, 1, 5), date(2026, 2, 10), date(2026, 5, 18))
    result = sen2.build_return(world.authority, 2027)
    assert result.problems == []
    root = fromstring(result.xml())  # noqa: S314 - our own output
    assert root.findtext("Header/CollectionDetails/ReferenceDate") == "2027-01-21"
    assert root.findtext("Header/Source/LEA") == "925"
    (person,) = root.findall("Persons/Person")
    assert person.findtext("UPN") == world.child.upn
    request = person.find("Requests/Request")
    assert request.findtext("ReceivedDate") == "2026-01-05"
    assert request.findtext("RequestOutcomeDate") == "2026-02-10"
    assert request.findtext("Assessment/AssessmentOutcomeDate") == "2026-05-18"
    assert request.findtext("Assessment/Week20") == "0"
    assert request.findtext("Assessment/NamedPlan/StartDate") == "2026-05-18"
    assert request.findtext("Assessment/NamedPlan/PB") == "1"
    assert request.findtext("Assessment/NamedPlan/PlanDetail/URN") == world.setting.urn
    assert request.findtext("ActivePlans/PlacementDetail/URN") == world.setting.urn
    assert request.findtext("ActivePlans/SENneed/SENtype") == "ASD"
    assert request.findtext("ActivePlans/SENneed/SENtypeRank") == "1"


def test_a_broken_case_shows_up_in_the_validation_report(world):
    case, plan = _issued(world, date(2026, 1, 5), date(2026, 2, 10), date(2026, 5, 18))
    type(world.child).objects.filter(pk=world.child.pk).update(primary_need="", upn="")
    type(plan).objects.filter(pk=plan.pk).update(named_setting=None, sen_setting="")
    result = sen2.build_return(world.authority, 2027)
    items = {(p.child_id, p.item) for p in result.problems}
    assert items == {
        (world.child.pk, "UPN"),
        (world.child.pk, "SENtype"),
        (world.child.pk, "PlanDetail"),
        (world.child.pk, "PlacementDetail"),
    }


def test_a_request_outside_the_year_is_left_out(world):
    services.request_assessment(
        actor=Actor(user=None),
        child=world.child,
        requester="parent",
        reasons="x",
        received_on=timezone.localdate(),
    )
    assert sen2.build_return(world.authority, 2026).children == []


@pytest.mark.django_db
def test_the_demo_return_is_complete_and_its_report_empty(settings):
    from tests.test_demo import run_demo
    from vsend.organisations.models import LocalAuthority
    from vsend.statutory.models import Case, EhcPlan

    settings.VSEND_DEMO_PASSWORD = "demo-password-for-tests"
    run_demo()
    authority = LocalAuthority.objects.get()
    today = timezone.localdate()
    year = today.year + 1 if today > sen2.reference_date(today.year) else today.year
    result = sen2.build_return(authority, year)
    assert [(p.name, p.item, p.message) for p in result.problems] == []
    in_return = {c.pk for c in result.children}
    start = date(year - 1, 1, 1)
    requested = set(
        Case.objects.filter(kind="assessment", started_on__gte=start).values_list(
            "child_id", flat=True
        )
    )
    with_plans = set(
        EhcPlan.objects.filter(ceased_on__isnull=True).values_list("child_id", flat=True)
    )
    assert requested | with_plans <= in_return and len(in_return) > 20
