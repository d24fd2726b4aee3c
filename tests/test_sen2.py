"""The person-level SEN2 return: its structure, its validation report, and the demo's return."""

from datetime import date
from xml.etree.ElementTree import fromstring

import pytest
from django.utils import timezone

from vsend.audit.services import Actor
from vsend.statutory import sen2, services
from vsend.statutory.models import Case, CaseStep


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
    assert person.findtext("Sex") == "F"
    assert person.find("GenderCurrent") is None
    # One Requests element per request, directly under Person, with no Request wrapper.
    (request,) = person.findall("Requests")
    assert request.find("Request") is None and person.find("Requests/Request") is None
    assert request.findtext("ReceivedDate") == "2026-01-05"
    assert request.findtext("RequestSource") == "1"
    assert request.findtext("RequestOutcome") == "Y"
    assert request.findtext("RequestOutcomeDate") == "2026-02-10"
    assert request.findtext("Assessment/AssessmentOutcome") == "Y"
    assert request.findtext("Assessment/AssessmentOutcomeDate") == "2026-05-18"
    assert request.findtext("Assessment/Week20") == "0"
    assert request.findtext("Assessment/NamedPlan/StartDate") == "2026-05-18"
    assert request.findtext("Assessment/NamedPlan/PB") == "1"
    assert request.findtext("Assessment/NamedPlan/PlanDetail/URN") == world.setting.urn
    assert request.findtext("ActivePlans/PlacementDetail/URN") == world.setting.urn
    assert request.findtext("ActivePlans/SENneed/SENtype") == "ASD"
    assert request.findtext("ActivePlans/SENneed/SENtypeRank") == "1"


def _requested(world, received, *, requester="parent", child=None, **kw):
    return services.request_assessment(
        actor=Actor(user=None),
        child=child or world.child,
        requester=requester,
        reasons="x",
        received_on=received,
        **kw,
    )


def _decide(case, step, done_on, outcome):
    CaseStep.objects.create(case=case, step=step, done_on=done_on, outcome=outcome)


def _only_request(result):
    root = fromstring(result.xml())  # noqa: S314 - our own output
    (person,) = root.findall("Persons/Person")
    (request,) = person.findall("Requests")
    return request


def test_a_decision_not_to_assess_is_n_with_its_date(world):
    case = _requested(world, date(2026, 3, 2))
    _decide(case, "decision_to_assess", date(2026, 4, 20), "not_assess")
    request = _only_request(sen2.build_return(world.authority, 2027))
    assert request.findtext("RequestOutcome") == "N"
    assert request.findtext("RequestOutcomeDate") == "2026-04-20"
    assert request.find("Assessment") is None


def test_a_request_not_yet_decided_is_a_without_a_date(world):
    _requested(world, date(2026, 11, 2))
    request = _only_request(sen2.build_return(world.authority, 2027))
    assert request.findtext("RequestOutcome") == "A"
    assert request.find("RequestOutcomeDate") is None
    assert request.find("Assessment") is None


def test_a_request_withdrawn_before_the_decision_is_w_without_a_date(world):
    case = _requested(world, date(2026, 3, 2))
    Case.objects.filter(pk=case.pk).update(withdrawn=True, closed_on=date(2026, 3, 20))
    request = _only_request(sen2.build_return(world.authority, 2027))
    assert request.findtext("RequestOutcome") == "W"
    assert request.find("RequestOutcomeDate") is None


def test_a_decision_before_the_collection_period_is_h_and_an_open_assessment_is_a(world):
    # Received and decided in 2025; the 2027 return's period starts on 1 January 2026.
    case = _requested(world, date(2025, 11, 3))
    _decide(case, "decision_to_assess", date(2025, 12, 15), "assess")
    request = _only_request(sen2.build_return(world.authority, 2027))
    assert request.findtext("ReceivedDate") == "2025-11-03"
    assert request.findtext("RequestOutcome") == "H"
    assert request.find("RequestOutcomeDate") is None
    assert request.findtext("Assessment/AssessmentOutcome") == "A"
    assert request.find("Assessment/AssessmentOutcomeDate") is None
    assert request.find("Assessment/NamedPlan") is None


@pytest.mark.parametrize(("decision", "code"), [("not_issue", "N"), ("issue", "Y")])
def test_a_decision_on_the_plan_is_dated(world, decision, code):
    case = _requested(world, date(2026, 2, 2))
    _decide(case, "decision_to_assess", date(2026, 3, 2), "assess")
    _decide(case, "decision_to_issue", date(2026, 6, 1), decision)
    request = _only_request(sen2.build_return(world.authority, 2027))
    assert request.findtext("Assessment/AssessmentOutcome") == code
    assert request.findtext("Assessment/AssessmentOutcomeDate") == "2026-06-01"


def test_an_assessment_withdrawn_is_w_without_a_date(world):
    case = _requested(world, date(2026, 2, 2))
    _decide(case, "decision_to_assess", date(2026, 3, 2), "assess")
    Case.objects.filter(pk=case.pk).update(withdrawn=True, closed_on=date(2026, 4, 1))
    request = _only_request(sen2.build_return(world.authority, 2027))
    assert request.findtext("RequestOutcome") == "Y"
    assert request.findtext("Assessment/AssessmentOutcome") == "W"
    assert request.find("Assessment/AssessmentOutcomeDate") is None


def test_a_plan_issued_before_the_period_is_historical_and_keeps_its_named_plan(world):
    # Request, decisions and plan all in 2025: the case closed before the 2027 return's period.
    _issued(world, date(2025, 3, 3), date(2025, 4, 1), date(2025, 8, 1))
    result = sen2.build_return(world.authority, 2027)
    assert result.problems == []
    request = _only_request(result)
    assert request.findtext("ReceivedDate") == "2025-03-03"
    assert request.findtext("RequestSource") == "1"
    assert request.findtext("RequestOutcome") == "H"
    assert request.find("RequestOutcomeDate") is None
    assert request.findtext("Assessment/AssessmentOutcome") == "H"
    assert request.find("Assessment/AssessmentOutcomeDate") is None
    assert request.findtext("Assessment/NamedPlan/StartDate") == "2025-08-01"
    assert request.findtext("ActivePlans/PlacementDetail/URN") == world.setting.urn


def test_an_earlier_request_with_a_plan_issued_in_the_period_is_h_then_y(world):
    _issued(world, date(2025, 10, 6), date(2025, 12, 1), date(2026, 3, 2))
    request = _only_request(sen2.build_return(world.authority, 2027))
    assert request.findtext("RequestOutcome") == "H"
    assert request.find("RequestOutcomeDate") is None
    assert request.findtext("Assessment/AssessmentOutcome") == "Y"
    assert request.findtext("Assessment/AssessmentOutcomeDate") == "2026-03-02"
    assert request.findtext("Assessment/NamedPlan/StartDate") == "2026-03-02"


def test_each_request_is_its_own_requests_element(world):
    first = _requested(world, date(2026, 1, 12))
    _decide(first, "decision_to_assess", date(2026, 2, 9), "not_assess")
    Case.objects.filter(pk=first.pk).update(closed_on=date(2026, 2, 9))
    _requested(world, date(2026, 9, 7))
    root = fromstring(sen2.build_return(world.authority, 2027).xml())  # noqa: S314
    (person,) = root.findall("Persons/Person")
    requests = person.findall("Requests")
    assert [r.findtext("ReceivedDate") for r in requests] == ["2026-01-12", "2026-09-07"]
    assert [r.findtext("RequestOutcome") for r in requests] == ["N", "A"]


@pytest.mark.parametrize(
    ("requester", "code"), [("parent", "1"), ("setting", "2"), ("young_person", "1")]
)
def test_the_request_source_follows_the_requester(world, requester, code):
    child = world.child if requester != "young_person" else world.young_person_child
    _requested(world, date(2026, 5, 5), requester=requester, child=child, setting=world.setting)
    request = _only_request(sen2.build_return(world.authority, 2027))
    assert request.findtext("RequestSource") == code
    # Directly under the request, after the date it was received (as readers of the 2026
    # guide read it), before the outcome.
    tags = [e.tag for e in request]
    assert tags.index("ReceivedDate") + 1 == tags.index("RequestSource")
    assert tags.index("RequestSource") < tags.index("RequestOutcome")


def test_a_withdrawn_request_by_letter_is_reported_withdrawn(world):
    from vsend.audit.services import Actor
    from vsend.statutory import services

    case = services.request_assessment(
        actor=Actor(user=world.users["caseworker"]),
        child=world.child,
        requester="parent",
        reasons="A letter",
        received_on=date(2026, 5, 5),
        received_how="letter",
    )
    services.withdraw(
        actor=Actor(user=world.users["parent"]),
        case=case,
        on=date(2026, 5, 20),
        by="family",
        reason="Better now",
        as_family=True,
    )
    request = _only_request(sen2.build_return(world.authority, 2027))
    assert request.findtext("ReceivedDate") == "2026-05-05"
    assert request.findtext("RequestSource") == "1"
    assert request.findtext("RequestOutcome") == "W" and request.find("RequestOutcomeDate") is None


def test_a_request_with_no_requester_has_no_source(world):
    case = _requested(world, date(2026, 5, 5))
    Case.objects.filter(pk=case.pk).update(requester="")
    request = _only_request(sen2.build_return(world.authority, 2027))
    assert request.find("RequestSource") is None


def test_returns_before_2024_carry_gender_current(world):
    _requested(world, date(2022, 5, 5))
    root = fromstring(sen2.build_return(world.authority, 2023).xml())  # noqa: S314
    (person,) = root.findall("Persons/Person")
    assert person.findtext("GenderCurrent") == "2"
    assert person.find("Sex") is None


def test_a_sex_sen2_does_not_accept_is_left_out_and_reported(world):
    _requested(world, date(2026, 5, 5))
    type(world.child).objects.filter(pk=world.child.pk).update(sex="")
    result = sen2.build_return(world.authority, 2027)
    root = fromstring(result.xml())  # noqa: S314 - our own output
    (person,) = root.findall("Persons/Person")
    assert person.find("Sex") is None and person.find("GenderCurrent") is None
    assert [(p.child_id, p.item) for p in result.problems] == [(world.child.pk, "Sex")]


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
