"""Moves in the demo authority: a child who moved from Brookside to St Hilda's last term,
taking their profile history with them, and a child at Oakfield (special) dual-registered at
Brookside for a gradual move to mainstream. Made through the same services as the pages, so
each has its history entry and audit rows; made once (a second run finds them)."""

from datetime import date, timedelta
from typing import TYPE_CHECKING

from vsend.audit.services import system_actor
from vsend.children.models import Child, Enrolment, Transfer
from vsend.children.services import Placement, join_child, record_leaving, transfer_child
from vsend.profiles.models import Profile, Status

if TYPE_CHECKING:
    from vsend.demo.loader import Builder


def _last_term_end(today: date) -> date:
    """A Friday about nine weeks ago: the end of last term in the demo's story."""
    day = today - timedelta(weeks=9)
    return day - timedelta(days=(day.weekday() - 4) % 7)


def _year_code(child: Child) -> str | None:
    enrolment = child.enrolments.select_related("year_group").first()
    return enrolment.year_group.code if enrolment and enrolment.year_group else None


def _moved_before(child: Child, left_on: date) -> bool:
    """Has finalised profiles, all made before the child left (and no draft)."""
    profiles = list(Profile.objects.filter(child=child))
    return bool(profiles) and all(
        p.status == Status.FINALISED and p.assessment_date < left_on for p in profiles
    )


def add_moves(builder: "Builder") -> None:
    actor = system_actor("demo")
    brookside, st_hildas = builder.settings["brookside"], builder.settings["st-hildas"]
    authority = builder.authority
    moved = Transfer.objects.filter(child__authority=authority, route=Transfer.Route.CLAIM)
    if not moved.exists():
        left_on = _last_term_end(builder.today)
        starts = left_on + timedelta(days=3)
        for child in builder.by_setting["brookside"]:
            code = _year_code(child)
            if (
                code is not None
                and child.sen_provision != "N"
                and child.upn
                and ("st-hildas", code) in builder.year_groups
                and _moved_before(child, left_on)
            ):
                enrolment = Enrolment.objects.get(child=child, setting=brookside)
                record_leaving(
                    actor=actor,
                    enrolment=enrolment,
                    left_on=left_on,
                    destination_setting=st_hildas,
                    destination="",
                )
                classes = builder.classes[("st-hildas", code)]
                join_child(
                    actor=actor,
                    upn=child.upn,
                    born=child.date_of_birth,
                    placement=Placement(st_hildas, code, classes[0], starts),
                )
                break
    dual = Transfer.objects.filter(child__authority=authority, dual=True)
    if not dual.exists():
        starts = _last_term_end(builder.today) + timedelta(days=3)
        for child in builder.by_setting["oakfield"]:
            code = _year_code(child)
            if (
                code is not None
                and child.sen_provision == "E"
                and ("brookside", code) in builder.year_groups
            ):
                transfer_child(
                    actor=actor,
                    child=child,
                    placement=Placement(brookside, code, None, starts),
                    dual=True,
                )
                break
