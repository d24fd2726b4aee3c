"""The person-level SEN2 return: what the authority recorded, in the DfE's module structure.

Modules (DfE person-level SEN2, items as the technical specification names them): Person;
Requests (one element per request received, directly under Person); Assessment (under a
request that was assessed); NamedPlan and PlanDetail (the plan that assessment led to, and its
placements); ActivePlans with PlacementDetail and SENneed (a plan in force on the reference
date, with its last review). Codes taken from the published lists: SENtype (school census
types), CeaseReason 1-9 (item 4.6), SENsetting (items 4.7c/5.7c). Items vsend does not hold
(NOT_HELD) are listed once for the whole return, not per child.

Outcome codes (RequestOutcome, AssessmentOutcome): Y yes, N no, W withdrawn, A decision not
yet made, H historical (the decision was made before the collection period, which starts on
1 January of the year before the return). Outcome dates are written for Y and N only. From the
2024 return the person's item is Sex (M/F); before it, GenderCurrent (1/2/9). See ADR 27 for
what was checked against which sources, and what still must be checked against the year's
technical specification before a return is submitted."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from xml.etree.ElementTree import Element, SubElement, tostring

from django.utils import timezone

from vsend.children.models import Child
from vsend.config.text import xml_safe
from vsend.organisations.models import LocalAuthority
from vsend.statutory.models import Case, EhcPlan
from vsend.statutory.selectors import sen2_plans, sen2_requests

# Items the return has that vsend does not hold, so never writes (listed once on the report
# page). Spellings as published readers of the 2026 guide read them: the named plan's
# residential and work-based items (PlanRes, PlanWPB; one reader spells the second "planwbp"),
# the active plan's (RES, WPB), a request made while in relevant youth accommodation (RYA), a
# child who moved out before the assessment finished (Exported), the authority a plan
# transferred from (TransferLA) and the review meeting and its outcome code (ReviewMeeting,
# ReviewOutcome: their formats could not be confirmed, so only LastReview is written).
NOT_HELD = (
    "Ethnicity",
    "PostCode",
    "UPNunknown",
    "RYA",
    "Exported",
    "PlanRes",
    "PlanWPB",
    "TransferLA",
    "RES",
    "WPB",
    "ReviewMeeting",
    "ReviewOutcome",
)
SEN_TYPES = {
    "SPLD",
    "MLD",
    "SLD",
    "PMLD",
    "SEMH",
    "SLCN",
    "HI",
    "VI",
    "MSI",
    "PD",
    "ASD",
    "DS",
    "OTH",
}
SEN_SETTINGS = {"OLA", "OPA", "EHE", "EYP", "OTH", "NEET", "NIEC", "NIEO"}
# vsend's decisions as the return's outcome codes (see the module's note and ADR 27).
REQUEST_OUTCOME = {"assess": "Y", "not_assess": "N", "withdrawn": "W"}
ASSESSMENT_OUTCOME = {"issue": "Y", "not_issue": "N", "withdrawn": "W"}
NOT_YET_DECIDED = "A"
HISTORICAL = "H"
# Outcomes that carry a date; A, W and H are written without one.
DATED_OUTCOMES = {"Y", "N"}
# RequestSource (directly under Requests, after ReceivedDate): 1 the young person or a
# parent/carer, 2 an early years setting, school or college, 3 health professionals, 4 social
# care professionals, 5 other. vsend records requests only from the first two (the people the
# law lets request), so 3 to 5 are never written.
REQUEST_SOURCE = {"parent": "1", "young_person": "1", "setting": "2"}
# The first return with the person's Sex (M/F) in place of GenderCurrent (1/2/9).
SEX_FROM_YEAR = 2024
SEX_CODES = {"M": "M", "F": "F"}


@dataclass
class Problem:
    child_id: int
    name: str
    item: str
    message: str


@dataclass
class Sen2Return:
    authority: LocalAuthority
    year: int
    reference_date: date
    persons: list[Element] = field(default_factory=list)
    children: list[Child] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def xml(self) -> bytes:
        root = Element("Message")
        header = SubElement(root, "Header")
        details = SubElement(header, "CollectionDetails")
        _add(details, "Collection", "SEN2")
        _add(details, "Year", str(self.year))
        _add(details, "ReferenceDate", self.reference_date)
        source = SubElement(header, "Source")
        _add(source, "SourceLevel", "L")
        _add(source, "LEA", self.authority.code)
        _add(source, "SoftwareCode", "vsend")
        _add(source, "Release", "1")
        _add(source, "SerialNo", "1")
        _add(source, "DateTime", timezone.localtime().replace(microsecond=0, tzinfo=None))
        persons = SubElement(root, "Persons")
        persons.extend(self.persons)
        return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="utf-8")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return xml_safe(str(value))


def _add(parent: Element, tag: str, value: object) -> None:
    """An item with a value; an empty item is left out, as the specification asks."""
    text = _text(value)
    if text:
        SubElement(parent, tag).text = text


def reference_date(year: int) -> date:
    """The return's reference date: the third Thursday of January of the collection year."""
    first = date(year, 1, 1)
    first_thursday = 1 + (3 - first.weekday()) % 7
    return date(year, 1, first_thursday + 14)


def build_return(authority: LocalAuthority, year: int) -> Sen2Return:
    """Every child of the authority with a request received in the calendar year before the
    reference date, an assessment or plan decided in it, or a plan in force on the date."""
    ref = reference_date(year)
    start, end = date(year - 1, 1, 1), date(year - 1, 12, 31)
    result = Sen2Return(authority=authority, year=year, reference_date=ref)
    requests = sen2_requests(authority, start, end)
    plans = sen2_plans(authority, start, ref)
    by_child: dict[int, tuple[Child, list[Case], list[EhcPlan]]] = {}
    for case in requests:
        by_child.setdefault(case.child_id, (case.child, [], []))[1].append(case)
    for plan in plans:
        by_child.setdefault(plan.child_id, (plan.child, [], []))[2].append(plan)
    for child_id in sorted(by_child):
        child, cases, child_plans = by_child[child_id]
        result.children.append(child)
        result.persons.append(_person(result, child, cases, child_plans, ref))
    return result


def _problem(result: Sen2Return, child: Child, item: str, message: str) -> None:
    result.problems.append(Problem(child.pk, child.legal_name, item, message))


def _person(
    result: Sen2Return, child: Child, cases: list[Case], plans: list[EhcPlan], ref: date
) -> Element:
    start = date(result.year - 1, 1, 1)
    person = Element("Person")
    _add(person, "Surname", child.last_name)
    _add(person, "Forename", child.first_name)
    _add(person, "PersonBirthDate", child.date_of_birth)
    if result.year >= SEX_FROM_YEAR:
        if child.sex in SEX_CODES:
            _add(person, "Sex", SEX_CODES[child.sex])
        else:
            _problem(result, child, "Sex", "No sex recorded that SEN2 accepts (M or F)")
    else:
        _add(person, "GenderCurrent", {"M": "1", "F": "2"}.get(child.sex, "9"))
    _add(person, "UPN", child.upn)
    _add(person, "UniqueLearnerNumber", child.uln)
    if not child.upn and not child.uln:
        _problem(result, child, "UPN", "No UPN or ULN: record one, or the reason neither is known")
    plans_by_case = {p.assessment_id: p for p in plans if p.assessment_id}

    def active(plan: EhcPlan | None) -> bool:
        return (
            plan is not None
            and plan.start_date <= ref
            and (plan.ceased_on is None or plan.ceased_on > ref)
        )

    for case in sorted(cases, key=lambda c: c.started_on):
        plan = plans_by_case.get(case.pk)
        request = _request(result, child, case, plan, start)
        if plan is not None and active(plan):
            request.append(_active_plan(result, child, plan))
        person.append(request)
    case_ids = {c.pk for c in cases}
    for plan in plans:
        if plan.assessment_id is None or plan.assessment_id not in case_ids:
            # A plan whose request is outside the year (or from before vsend): the request
            # behind it is historical.
            request = SubElement(person, "Requests")
            if plan.assessment is not None:
                _add(request, "ReceivedDate", plan.assessment.started_on)
                _add(request, "RequestSource", REQUEST_SOURCE.get(plan.assessment.requester, ""))
            _add(request, "RequestOutcome", HISTORICAL)
            request.append(_assessment_for_plan(result, child, plan, start))
            if active(plan):
                request.append(_active_plan(result, child, plan))
    return person


def _decision(case: Case, step: str) -> tuple[str, date | None]:
    row = next((s for s in case.steps.all() if s.step == step and s.done_on), None)
    return (row.outcome, row.done_on) if row else ("", None)


def _outcome(
    codes: dict[str, str], decision: str, on: date | None, start: date
) -> tuple[str, date | None]:
    """The outcome code and the date written with it: A when nothing is decided yet, H (no
    date) for a decision made before the collection period, a date only with Y and N."""
    code = codes.get(decision, "")
    if not code:
        return NOT_YET_DECIDED, None
    if on is not None and on < start:
        return HISTORICAL, None
    return code, on if code in DATED_OUTCOMES else None


def _request(
    result: Sen2Return, child: Child, case: Case, plan: EhcPlan | None, start: date
) -> Element:
    request = Element("Requests")
    _add(request, "ReceivedDate", case.started_on)
    _add(request, "RequestSource", REQUEST_SOURCE.get(case.requester, ""))
    decision, on = _decision(case, "decision_to_assess")
    if case.withdrawn and not decision:
        decision, on = "withdrawn", case.closed_on
    code, code_on = _outcome(REQUEST_OUTCOME, decision, on, start)
    _add(request, "RequestOutcomeDate", code_on)
    _add(request, "RequestOutcome", code)
    appeals = list(case.appeals.all())
    _add(
        request,
        "RequestMediation",
        any(a.kind == "mediation" and a.about == "request" for a in appeals),
    )
    _add(
        request,
        "RequestTribunal",
        any(a.kind == "tribunal" and a.about == "request" for a in appeals),
    )
    if on and on < case.started_on:
        _problem(result, child, "RequestOutcomeDate", "The decision is dated before the request")
    if decision == "assess":
        assessment = SubElement(request, "Assessment")
        issued, issued_on = _decision(case, "decision_to_issue")
        if plan is not None:
            issued, issued_on = "issue", plan.issued_on
        elif case.withdrawn and not issued:
            issued, issued_on = "withdrawn", case.closed_on
        a_code, a_code_on = _outcome(ASSESSMENT_OUTCOME, issued, issued_on, start)
        _add(assessment, "AssessmentOutcome", a_code)
        _add(assessment, "AssessmentOutcomeDate", a_code_on)
        _add(
            assessment,
            "AssessmentMediation",
            any(a.kind == "mediation" and a.about == "assessment" for a in appeals),
        )
        _add(
            assessment,
            "AssessmentTribunal",
            any(a.kind == "tribunal" and a.about == "assessment" for a in appeals),
        )
        _add(
            assessment,
            "OtherMediation",
            any(a.kind == "mediation" and a.about == "plan" for a in appeals),
        )
        _add(
            assessment,
            "OtherTribunal",
            any(a.kind == "tribunal" and a.about == "plan" for a in appeals),
        )
        _add(
            assessment,
            "Week20",
            any("final_plan" in _exception_steps(e.kind) for e in case.exceptions.all()),
        )
        if issued_on and on and issued_on < on:
            _problem(
                result,
                child,
                "AssessmentOutcomeDate",
                "The plan decision is dated before the decision to assess",
            )
        if plan is not None:
            assessment.append(_named_plan(result, child, plan))
    elif plan is not None:
        _problem(
            result,
            child,
            "RequestOutcome",
            "A plan was issued but no decision to assess is recorded",
        )
    return request


def _exception_steps(kind: str) -> tuple[str, ...]:
    from vsend.workflows.definitions import definition

    try:
        return definition("ehc-needs-assessment").exception(kind).steps
    except KeyError:
        return ()


def _assessment_for_plan(result: Sen2Return, child: Child, plan: EhcPlan, start: date) -> Element:
    assessment = Element("Assessment")
    code, on = _outcome(ASSESSMENT_OUTCOME, "issue", plan.issued_on, start)
    _add(assessment, "AssessmentOutcome", code)
    _add(assessment, "AssessmentOutcomeDate", on)
    assessment.append(_named_plan(result, child, plan))
    return assessment


def _placement(parent: Element, result: Sen2Return, child: Child, plan: EhcPlan, item: str) -> None:
    if plan.named_setting is not None:
        _add(parent, "URN", plan.named_setting.urn)
    elif plan.sen_setting in SEN_SETTINGS:
        _add(parent, "SENsetting", plan.sen_setting)
    else:
        _problem(result, child, item, "No setting named in the plan and no kind of arrangement")
    _add(parent, "PlacementRank", 1)


def _named_plan(result: Sen2Return, child: Child, plan: EhcPlan) -> Element:
    named = Element("NamedPlan")
    _add(named, "StartDate", plan.start_date)
    _add(named, "PB", plan.personal_budget)
    _add(named, "OA", plan.personal_budget_organised)
    _add(named, "DP", plan.personal_budget_direct_payments)
    _add(named, "CeaseDate", plan.ceased_on)
    _add(named, "CeaseReason", plan.cease_reason)
    if plan.personal_budget_direct_payments and not plan.personal_budget:
        _problem(result, child, "DP", "Direct payments recorded without a personal budget")
    detail = SubElement(named, "PlanDetail")
    _placement(detail, result, child, plan, "PlanDetail")
    return named


def _active_plan(result: Sen2Return, child: Child, plan: EhcPlan) -> Element:
    active = Element("ActivePlans")
    reviews = [
        s.done_on
        for r in plan.reviews.all()
        for s in r.steps.all()
        if s.step == "decision" and s.done_on
    ]
    _add(active, "LastReview", max(reviews) if reviews else None)
    placement = SubElement(active, "PlacementDetail")
    _placement(placement, result, child, plan, "PlacementDetail")
    _add(placement, "EntryDate", plan.start_date)
    needs = [(1, child.primary_need), (2, child.secondary_need)]
    if not child.primary_need:
        _problem(result, child, "SENtype", "A plan in force but no primary type of need recorded")
    for rank, need in needs:
        if need and need not in SEN_TYPES:
            _problem(result, child, "SENtype", f"{need} is not a type of need SEN2 accepts")
        elif need:
            sen_need = SubElement(active, "SENneed")
            _add(sen_need, "SENtype", need)
            _add(sen_need, "SENtypeRank", rank)
    return active


def problems_by_child(problems: Iterable[Problem]) -> dict[int, list[Problem]]:
    out: dict[int, list[Problem]] = {}
    for p in problems:
        out.setdefault(p.child_id, []).append(p)
    return out
