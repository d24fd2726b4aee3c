"""Transition plans in the demo authority: children at Oakfield (special) moving back to
mainstream at every stage (the child already dual-registered at Brookside is mid-way, with
reviews), one who stayed and one who moved; enhanced transition support for children moving
from Year 6 to Year 7, two finished (one with support from the
setting, one referred for an assessment). Dates count back from the demo's today; made once."""

from datetime import date, timedelta
from typing import TYPE_CHECKING

from vsend.accounts.models import User
from vsend.children.models import Child, Enrolment, Transfer
from vsend.transitions.models import (
    ENHANCED,
    SPECIAL_TO_MAINSTREAM,
    Decision,
    Outcome,
    TransitionPlan,
    TransitionReview,
    TransitionStep,
)
from vsend.workflows.definitions import definition
from vsend.workflows.terms import term_end, term_of

if TYPE_CHECKING:
    from vsend.demo.loader import Builder

W = 7
REVIEW_NOTES = (
    "Settling in well at lunchtime; still finds the noise of assembly hard. Keep the quiet "
    "space at break and the visual timetable.",
    "Mornings are calmer since the key adult meets them at the gate. Friendships growing in "
    "the small group. Family pleased.",
    "Managing most lessons with support; one wobble after a change of teacher. Agree a "
    "photo book of the new staff.",
)


def _plan(
    child: Child,
    template: str,
    sending: int,
    receiving: int | None,
    started: date,
    by: User | None,
    steps: list[tuple[str, date, str]],
    reviews: list[date] = (),  # type: ignore[assignment]
    outcome: str = "",
    ended: date | None = None,
) -> TransitionPlan:
    plan = TransitionPlan.objects.create(
        child=child,
        template=template,
        template_version=definition(template).version,
        started_on=started,
        sending_setting_id=sending,
        receiving_setting_id=receiving,
        started_by=by,
        outcome=outcome,
        ended_on=ended,
        note="Put forward by the school and family after a good year.",
    )
    for step, on, result in steps:
        TransitionStep.objects.create(
            plan=plan, step=step, done_on=on, outcome=result, recorded_by=by
        )
    for n, on in enumerate(reviews, start=1):
        note = REVIEW_NOTES[(n - 1) % len(REVIEW_NOTES)]
        TransitionReview.objects.create(
            plan=plan, held_on=on, notes=note, decision=Decision.CONTINUE, recorded_by=by
        )
        TransitionStep.objects.create(
            plan=plan, step="review", item=str(n), done_on=on, note=note, recorded_by=by
        )
    return plan


def _children(setting_id: int, codes: set[str], provision: set[str], n: int) -> list[Child]:
    rows = (
        Enrolment.objects.current()
        .filter(
            setting_id=setting_id, year_group__code__in=codes, child__sen_provision__in=provision
        )
        .exclude(child__transition_plans__isnull=False)
        .select_related("child")
        .order_by("child_id")[:n]
    )
    return [e.child for e in rows]


def _sendco(setting_id: int) -> User | None:
    return User.objects.filter(
        memberships__setting_id=setting_id, memberships__role="sendco"
    ).first()


def add_transitions(builder: "Builder") -> None:
    if TransitionPlan.objects.filter(child__authority=builder.authority).exists():
        return
    today = builder.today
    s = {slug: setting.pk for slug, setting in builder.settings.items()}
    oak = _sendco(s["oakfield"])
    # The child already dual-registered at Brookside: mid-way, two reviews held, one to come.
    dual = Transfer.objects.filter(child__authority=builder.authority, dual=True).first()
    if dual is not None:
        reg = dual.starts_on
        start = reg - timedelta(weeks=30)
        _plan(
            dual.child,
            SPECIAL_TO_MAINSTREAM,
            s["oakfield"],
            s["brookside"],
            start,
            oak,
            [
                ("family_views", start + timedelta(weeks=2), ""),
                ("adviser_invited", start + timedelta(weeks=3), ""),
                ("annual_review", start + timedelta(weeks=8), "pursue"),
                ("schools_approached", start + timedelta(weeks=11), ""),
                ("planning_meeting", start + timedelta(weeks=15), ""),
                ("funding_form", start + timedelta(weeks=17), ""),
                ("transport_form", start + timedelta(weeks=18), ""),
                ("taster_days", start + timedelta(weeks=19), ""),
                ("dual_registration", reg, ""),
            ],
            reviews=[d for d in (reg + timedelta(weeks=6),) if d <= today],
        )
    oakfield = _children(s["oakfield"], {"1", "3", "5", "7"}, {"E"}, 3)
    if len(oakfield) == 3:
        early, stayed, moved = oakfield
        start = today - timedelta(weeks=9)
        _plan(
            early,
            SPECIAL_TO_MAINSTREAM,
            s["oakfield"],
            s["st-hildas"],
            start,
            oak,
            [
                ("family_views", start + timedelta(weeks=2), ""),
                ("adviser_invited", start + timedelta(weeks=4), ""),
                ("annual_review", start + timedelta(weeks=7), "pursue"),
            ],
        )
        start = today - timedelta(weeks=40)
        _plan(
            stayed,
            SPECIAL_TO_MAINSTREAM,
            s["oakfield"],
            None,
            start,
            oak,
            [
                ("family_views", start + timedelta(weeks=3), ""),
                ("annual_review", start + timedelta(weeks=9), "not_now"),
            ],
            outcome=Outcome.STAYED,
            ended=start + timedelta(weeks=9),
        )
        start = today - timedelta(weeks=70)
        steps = [
            ("family_views", 2, ""),
            ("adviser_invited", 3, ""),
            ("annual_review", 9, "pursue"),
            ("schools_approached", 12, ""),
            ("planning_meeting", 16, ""),
            ("funding_form", 18, ""),
            ("transport_form", 18, ""),
            ("taster_days", 20, ""),
            ("dual_registration", 22, ""),
            ("decision", 50, Outcome.RETURNED),
        ]
        _plan(
            moved,
            SPECIAL_TO_MAINSTREAM,
            s["oakfield"],
            s["fenmoor-academy"],
            start,
            oak,
            [(k, start + timedelta(weeks=w), o) for k, w, o in steps],
            reviews=[start + timedelta(weeks=w) for w in (28, 36, 44)],
            outcome=Outcome.RETURNED,
            ended=start + timedelta(weeks=50),
        )
    # Enhanced transition support, counted in terms from the spring of last school year.
    year, _ = term_of(today)
    spring = date(year, 3, 9)  # term 4 of last school year
    july = date(year, 7, 14)
    after = [term_end(july, 1) - timedelta(days=10)]
    done = [
        ("family_agreed", spring + timedelta(weeks=2), ""),
        ("planning_meeting", spring + timedelta(weeks=8), ""),
        ("funding_request", spring + timedelta(weeks=9), ""),
        ("funding_decision", spring + timedelta(weeks=11), "agreed"),
        ("visits", spring + timedelta(weeks=15), ""),
        ("july_review", july, ""),
    ]
    fenmoor = _sendco(s["fenmoor-academy"])
    for child, outcome in zip(
        _children(s["fenmoor-academy"], {"7"}, {"K"}, 3),
        ("", Outcome.SCHOOL_SUPPORT, Outcome.REFERRED),
        strict=False,
    ):
        reviews = [d for d in after if d <= today]
        ended = None
        extra: list[tuple[str, date, str]] = []
        if outcome:
            ended = min(today, july + timedelta(weeks=20))
            extra = [("decision", ended, outcome)]
        _plan(
            child,
            ENHANCED,
            s["st-hildas"],
            s["fenmoor-academy"],
            spring,
            fenmoor,
            done + extra,
            reviews=reviews,
            outcome=outcome,
            ended=ended,
        )
        if outcome == Outcome.REFERRED and ended is not None:
            _referral(child, s["fenmoor-academy"], fenmoor, ended, today)
    # Moving to secondary school next September: put forward this term.
    brookside = _sendco(s["brookside"])
    for child in _children(s["brookside"], {"6"}, {"K"}, 1):
        start = today - timedelta(weeks=3)
        _plan(
            child,
            ENHANCED,
            s["brookside"],
            s["fenmoor-academy"],
            start,
            brookside,
            [("family_agreed", start + timedelta(weeks=1), "")],
        )


def _referral(child: Child, setting_id: int, by: User | None, ended: date, today: date) -> None:
    """The school asks for the EHC needs assessment the enhanced transition ended in, a week
    later, and the child's caseworker takes it on (the plan's page links to it)."""
    from vsend.children.models import CaseAssignment
    from vsend.statutory.models import ASSESSMENT, Case, Kind, Requester

    received = min(today, ended + timedelta(days=7))
    if Case.objects.filter(child=child, kind=Kind.ASSESSMENT, closed_on__isnull=True).exists():
        return
    wf = definition(ASSESSMENT)
    Case.objects.create(
        child=child,
        kind=Kind.ASSESSMENT,
        workflow=wf.id,
        workflow_version=wf.version,
        started_on=received,
        requester=Requester.SETTING,
        requested_by=by,
        setting_id=setting_id,
        reasons="The extra support after the move to Year 7 has not been enough: reading and "
        "writing have fallen further behind and anxiety about lessons has grown.",
        family_views="We agreed with the school at the last review that an assessment is next.",
        child_views="Secondary school is big and loud. I want help with reading.",
    )
    caseworker = (
        User.objects.filter(memberships__role="caseworker", memberships__authority=child.authority)
        .order_by("pk")
        .first()
    )
    if caseworker is not None:
        CaseAssignment.objects.get_or_create(
            child=child, caseworker=caseworker, defaults={"started_on": received}
        )
