"""Demo statutory pathway: EHC needs assessments at every stage (some late, one with an
exception, some decided against), plans with their sections for children who have one, and
their annual reviews (some overdue). Dates count back from the demo's today so the caseworker's
worklist always has something overdue, due this week and coming up."""

import random
from datetime import date, timedelta

from vsend.accounts.models import User
from vsend.children.models import CaseAssignment, Child, Enrolment, FamilyLink
from vsend.statutory.models import (
    ANNUAL_REVIEW,
    ASSESSMENT,
    AdulthoodPart,
    Case,
    CaseStep,
    ClockException,
    EhcPlan,
    Kind,
    PlanOutcome,
    Received,
    Requester,
    WithdrawnBy,
)
from vsend.workflows.definitions import definition

W = 7  # days in a week
ADVICE = ("parent", "education", "health", "psychological", "social_care")
SECTIONS = {
    "a": "Enjoys drawing and football. Wants to be a vet. Family hopes for friendships and "
    "confidence in class.",
    "b": "Significant difficulties with {need}; needs adult support to access learning.",
    "c": "Seen by the community paediatrician each year.",
    "d": "No social care needs identified.",
    "e": "By the end of the key stage, will use a visual timetable and ask for help independently.",
    "f": "Daily small-group teaching (20 minutes); weekly speech and language therapy programme "
    "delivered by a trained teaching assistant.",
    "g": "Annual review by the paediatrician.",
    "h1": "None.",
    "h2": "None.",
    "i": "{setting}",
    "j": "No personal budget requested.",
    "k": "Educational psychology advice; speech and language therapy advice; parent's views.",
}
# (weeks since the request was received, what has happened): every stage of the clock.
STAGES: list[tuple[int, list[tuple[str, int, str | None]]]] = [
    (1, []),
    (5, []),  # the decision is due this week
    (8, []),  # the decision is overdue
    (9, [("decision_to_assess", 5, "assess"), ("advice", 6, None)]),
    (13, [("decision_to_assess", 6, "assess"), ("advice", 6, "done")]),  # some advice late
    (15, [("decision_to_assess", 5, "assess"), ("advice", 6, "done"), ("draft_plan", 14, None)]),
    (19, [("decision_to_assess", 6, "assess"), ("advice", 7, "done"), ("draft_plan", 15, None)]),
    (12, [("decision_to_assess", 6, "not_assess")]),
    (
        17,
        [
            ("decision_to_assess", 6, "assess"),
            ("advice", 7, "done"),
            ("decision_to_issue", 15, "not_issue"),
        ],
    ),
    (
        30,
        [
            ("decision_to_assess", 5, "assess"),
            ("advice", 6, "done"),
            ("draft_plan", 14, None),
            ("final", 19, None),
        ],
    ),
    (
        40,
        [
            ("decision_to_assess", 6, "assess"),
            ("advice", 7, "done"),
            ("draft_plan", 17, None),
            ("final", 23, None),
        ],
    ),
    (11, [("decision_to_assess", 6, "assess"), ("exception", 7, None)]),
    (3, [("letter", 0, None)]),  # a parent's letter, entered by the caseworker
    (4, [("withdrawn", 3, None)]),  # the family withdrew it
]
# A plan's outcomes, each naming the Valuing SEND areas it answers, by the child's primary need.
AREA_OF_NEED = {
    "ASD": "communication_interaction",
    "SLCN": "communication_interaction",
    "SPLD": "cognition_learning",
    "MLD": "cognition_learning",
    "SLD": "cognition_learning",
    "PMLD": "cognition_learning",
    "SEMH": "semh",
    "HI": "physical_sensory",
    "VI": "physical_sensory",
    "MSI": "physical_sensory",
    "PD": "physical_sensory",
}
OUTCOMES = {
    "communication_interaction": (
        "Starts and keeps up a conversation with a friend at break",
        "Weekly speech and language programme with a trained teaching assistant",
    ),
    "cognition_learning": (
        "Reads and understands a short text at their level on their own",
        "Daily 20-minute small-group reading and phonics",
    ),
    "semh": (
        "Names how they feel and uses a calm-down plan without an adult prompting",
        "Morning check-in with a key adult; a quiet space when needed",
    ),
    "physical_sensory": (
        "Moves around the building and gets to lessons on time independently",
        "Equipment and a movement break timetable agreed with the occupational therapist",
    ),
    "independence": (
        "Organises their own equipment for the day using a checklist",
        "A visual checklist taught and faded over the term",
    ),
}
ADULTHOOD = {
    "employment": "Would like to work with animals; a work experience week at a farm is agreed.",
    "independent_living": "Learning to travel to college by bus with a travel trainer.",
    "community": "Goes to a youth club on Fridays and wants to join a football team.",
    "health": "Learning to book their own appointments and explain their medication.",
}


def _date_of(received: date, week: int) -> date:
    return received + timedelta(days=week * W)


def _plan(child: Child, setting_id: int | None, issued: date, case: Case | None) -> EhcPlan:
    from vsend.organisations.models import Setting

    setting = Setting.objects.filter(pk=setting_id).first() if setting_id else None
    need = child.get_primary_need_display() or "learning"
    plan = EhcPlan.objects.create(
        child=child,
        assessment=case,
        issued_on=issued,
        start_date=issued,
        named_setting=setting,
        sen_setting="" if setting else "OTH",
        personal_budget=child.pk % 5 == 0,
        personal_budget_direct_payments=child.pk % 10 == 0,
        **{
            f"section_{k}": v.format(need=need.lower(), setting=setting.name if setting else "")
            for k, v in SECTIONS.items()
        },
    )
    first = AREA_OF_NEED.get(child.primary_need, "independence")
    second = "cognition_learning" if first == "semh" else "semh"
    # The first outcome answers the primary need and independence; the second one other area.
    threads = [(sorted({first, "independence"}), first), ([second], second)]
    for n, (areas, key) in enumerate(threads, start=1):
        outcome, provision = OUTCOMES[key]
        PlanOutcome.objects.create(
            plan=plan,
            areas=areas,
            outcome=outcome,
            provision=provision,
            by_when=issued + timedelta(days=365),
            position=n,
        )
    return plan


def _review(plan: EhcPlan, started: date, today: date, held: bool) -> None:
    wf = definition(ANNUAL_REVIEW)
    review = Case.objects.create(
        child=plan.child,
        kind=Kind.ANNUAL_REVIEW,
        workflow=wf.id,
        workflow_version=wf.version,
        started_on=started,
        plan=plan,
    )
    if held:
        meeting = min(today - timedelta(days=10), started + timedelta(days=350))
        CaseStep.objects.create(
            case=review, step="invitations", done_on=meeting - timedelta(days=16)
        )
        CaseStep.objects.create(case=review, step="meeting", asked_on=meeting, done_on=meeting)
        if plan.child.age_on(meeting) >= 14:
            AdulthoodPart.objects.create(review=review, **ADULTHOOD)


def build_statutory(caseworker: User, today: date) -> int:
    """Cases for the caseworker's children and some children on SEN support; run again, it adds
    nothing."""
    authority_id = caseworker.memberships.values_list("authority_id", flat=True).first()
    if Case.objects.filter(child__authority_id=authority_id).exists():
        return 0
    rng = random.Random(1414)  # noqa: S311 - demo data
    assigned = list(
        Child.objects.filter(case_assignments__caseworker=caseworker, sen_provision="E").order_by(
            "pk"
        )
    )
    current = dict(Enrolment.objects.current().values_list("child_id", "setting_id"))
    made = 0
    # Plans for the children who have one, each with its annual review clock.
    for i, child in enumerate(assigned):
        issued = today - timedelta(days=rng.randint(200, 1000))
        plan = _plan(child, current.get(child.pk), issued, None)
        last = issued
        while last + timedelta(days=365) < today - timedelta(days=60):
            last += timedelta(days=365)
        _review(plan, last, today, held=i % 4 == 0)
        made += 1
    # Requests at every stage, for children on SEN support (a parent's child among them).
    parented = set(FamilyLink.objects.values_list("child_id", flat=True))
    support = list(
        Child.objects.filter(authority_id=authority_id, sen_provision="K")
        .exclude(statutory_cases__isnull=False)
        .order_by("pk")
    )
    support.sort(key=lambda c: (c.pk not in parented, c.pk))
    wf = definition(ASSESSMENT)
    for (weeks, events), child in zip(STAGES, support, strict=False):
        received = today - timedelta(days=weeks * W - rng.randint(0, 3))
        setting_id = current.get(child.pk)
        requester = Requester.PARENT if child.pk in parented else Requester.SETTING
        case = Case.objects.create(
            child=child,
            kind=Kind.ASSESSMENT,
            workflow=wf.id,
            workflow_version=wf.version,
            started_on=received,
            requester=requester,
            setting_id=setting_id if requester == Requester.SETTING else None,
            reasons="Progress has stalled despite three terms of targeted support.",
            family_views="We want the right help in place before secondary school.",
            child_views="Reading is hard and I get tired. I like art and building things.",
        )
        CaseAssignment.objects.get_or_create(
            child=child, caseworker=caseworker, defaults={"started_on": received}
        )
        for step, week, outcome in events:
            on = _date_of(received, week)
            if step == "advice":
                for n, source in enumerate(ADVICE):
                    returned = outcome == "done" and n != 2  # the health advice still to come
                    CaseStep.objects.create(
                        case=case,
                        step="advice",
                        item=source,
                        asked_on=on,
                        done_on=min(on + timedelta(days=30 + n * 3), today) if returned else None,
                    )
            elif step == "letter":
                Case.objects.filter(pk=case.pk).update(
                    received_how=Received.LETTER,
                    received_note="Letter from the parent, date-stamped by the post room",
                    requested_by=caseworker,
                )
            elif step == "withdrawn":
                Case.objects.filter(pk=case.pk).update(
                    withdrawn=True,
                    withdrawn_by=WithdrawnBy.FAMILY,
                    withdrawn_reason="Things are going better with the new support at school.",
                    closed_on=on,
                    closed_reason="Request withdrawn",
                )
            elif step == "exception":
                ClockException.objects.create(
                    case=case,
                    kind="away_from_area",
                    starts_on=on,
                    ends_on=None,
                    note="The family is abroad caring for a relative.",
                )
            elif step == "final":
                CaseStep.objects.create(case=case, step="final_plan", done_on=on)
                case.closed_on, case.closed_reason = on, "Final plan issued"
                case.save(update_fields=["closed_on", "closed_reason"])
                plan = _plan(child, setting_id, on, case)
                Child.objects.filter(pk=child.pk).update(sen_provision="E")
                _review(plan, on, today, held=False)
            else:
                CaseStep.objects.create(case=case, step=step, done_on=on, outcome=outcome or "")
                if outcome in ("not_assess", "not_issue"):
                    case.closed_on = on
                    case.closed_reason = (
                        "Decided not to assess"
                        if outcome == "not_assess"
                        else "Decided not to issue a plan"
                    )
                    case.save(update_fields=["closed_on", "closed_reason"])
        made += 1
    return made
