"""Scoped reads of children's data. Pages and the API read children only through here.

A membership *reaches* children (its scope, below); its role *grants* permissions. The user's
access policy (vsend.accounts.policy) combines the two once per request: outside every reach a
child does not exist for the user (404); within reach but without a membership that grants the
permission, access is refused (403). Both are audited.
"""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from vsend.accounts.models import Membership
from vsend.accounts.roles import Perm, Role
from vsend.audit.models import Action
from vsend.audit.services import Actor, record
from vsend.children import cohort
from vsend.children.models import (
    CaseAssignment,
    Child,
    Enrolment,
    FamilyLink,
    Registration,
    Transfer,
)

if TYPE_CHECKING:
    from vsend.accounts.policy import AccessPolicy

NOTHING = Q(pk__in=[])
# Not Q(): Django drops an empty Q from an OR, which would turn "everything" into "nothing".
EVERYTHING = Q(pk__isnull=False)


def membership_reach(m: Membership, on: date | None = None) -> Q:
    """The children one membership reaches, as a filter on Child.

    A setting's staff reach the children on its roll on the day (ADR 20): a receiving setting
    from the child's start date, never before; a leaving setting up to and including the
    leaving date, and nothing after it. A dual-registered child is on both settings' rolls."""
    match m.role:
        case Role.PLATFORM_ADMIN:
            return EVERYTHING
        case Role.LA_ADMIN | Role.LA_OFFICER:
            return Q(authority_id=m.authority_id)
        case Role.CASEWORKER:
            assigned = CaseAssignment.objects.filter(caseworker_id=m.user_id, ended_on__isnull=True)
            return Q(authority_id=m.authority_id, pk__in=assigned.values("child_id"))
        case Role.SENDCO:
            current = Enrolment.objects.current(on).filter(Q(setting_id=m.setting_id))
            return Q(pk__in=current.values("child_id"))
        case Role.TEACHER:
            class_ids = [c.pk for c in m.classes.all()]
            current = Enrolment.objects.current(on).filter(school_class_id__in=class_ids)
            return Q(pk__in=current.values("child_id"))
        case Role.PARENT:
            links = FamilyLink.objects.filter(user_id=m.user_id)
            return Q(authority_id=m.authority_id, pk__in=links.values("child_id"))
        case Role.YOUNG_PERSON:
            return Q(pk=m.child_id)
    return NOTHING


def _policy(user: object) -> "AccessPolicy":
    from vsend.accounts.policy import AccessPolicy

    return AccessPolicy.for_user(user)


def children_in_scope(user: object) -> QuerySet[Child]:
    """Every child the user may act on in any way (outside it, a child id is not found)."""
    return _policy(user).children(None)


def children_visible_to(user: object, perm: str = Perm.VIEW_CHILD) -> QuerySet[Child]:
    """Children the user may act on with this permission."""
    return _policy(user).children(perm)


def user_can(user: object, perm: str) -> bool:
    """Does any membership grant this permission (whatever its reach)?"""
    return _policy(user).can_anywhere(perm)


def get_child_for(actor: Actor, pk: int, perm: str = Perm.VIEW_CHILD) -> Child:
    """One child, if the actor may act on them with perm; the refusal is audited.

    One query decides both whether the child is within reach and what the actor may do to them;
    the page's later questions (may they edit? see the access history?) are answered from it.
    """
    policy = _policy(actor.user)
    child = policy.find_child(pk)
    if child is None:
        refuse_outside_scope(actor, "child", pk, Child.objects.filter(pk=pk), perm)
        raise Http404("No child found")
    if not policy.can(perm, child):
        record(
            actor,
            Action.ACCESS_REFUSED,
            obj=child,
            summary="The user's role does not allow this",
            detail={"permission": perm},
        )
        raise PermissionDenied
    return child


def refuse_outside_scope(
    actor: Actor, object_type: str, pk: int, found: QuerySet, perm: str, child_field: str = "pk"
) -> None:
    """Audit a refusal of an id outside the user's reach. If the record exists, the row names
    its child and authority (so the owning authority sees the attempt); if not, neither."""
    owner = found.values_list(
        child_field, "authority_id" if child_field == "pk" else "child__authority_id"
    ).first()
    record(
        actor,
        Action.ACCESS_REFUSED,
        object_type=object_type,
        object_id=pk,
        child_id=owner[0] if owner else None,
        authority_id=owner[1] if owner else None,
        summary=f"{object_type.capitalize()} not in the user's scope",
        detail={"permission": perm, "reason": "outside_scope"},
    )


def with_current_enrolment(qs: QuerySet[Child]) -> QuerySet[Child]:
    return qs.prefetch_related(
        Prefetch(
            "enrolments",
            # Newest first, as current_enrolment chooses (the later-made of two that start on
            # the same day).
            queryset=Enrolment.objects.current()
            .select_related("setting", "year_group", "school_class")
            .order_by("-started_on", "-pk"),
            to_attr="current_enrolments",
        )
    )


@dataclass(frozen=True)
class ChildFilters:
    q: str = ""
    year: str = ""
    school_class: int | None = None
    sen_provision: str = ""
    need: str = ""  # primary need, as in the figures
    sex: str = ""
    setting: int | None = None
    # The children behind a dashboard figure, from their current profile.
    domain: str = ""
    level: int | None = None
    min_level: int | None = None
    gap: str = ""  # readiness or confidence
    profile: str = ""  # current, none or overdue

    def as_audit(self) -> dict[str, str]:
        """The filters in use, for the audit row (short, and only those set)."""
        return {k: str(v)[:100] for k, v in self.__dict__.items() if v not in ("", None)}


def filter_children(qs: QuerySet[Child], f: ChildFilters) -> QuerySet[Child]:
    for word in f.q.split():
        qs = qs.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(preferred_name__icontains=word)
        )
    qs = qs.filter(cohort.child_q(f))  # the same definition as the dashboards' figures
    enrolment = cohort.enrolment_q(f)
    if enrolment:
        qs = qs.filter(pk__in=Enrolment.objects.current().filter(enrolment).values("child_id"))
    if f.profile or f.domain:
        qs = _profile_filters(qs, f)
    return qs


def _profile_filters(qs: QuerySet[Child], f: ChildFilters) -> QuerySet[Child]:
    from vsend.profiles.models import DomainRating, Profile, Status

    today = timezone.localdate()
    current = Profile.objects.filter(status=Status.FINALISED, assessment_date__lte=today).filter(
        Q(superseded_on__isnull=True) | Q(superseded_on__gt=today)
    )
    if f.profile == "current":
        qs = qs.filter(pk__in=current.values("child_id"))
    elif f.profile == "none":
        qs = qs.filter(sen_provision__in=["K", "E"]).exclude(pk__in=current.values("child_id"))
    elif f.profile == "overdue":
        qs = qs.filter(pk__in=current.filter(review_date__lt=today).values("child_id"))
    if f.domain:
        # Need figures count only profiles on the dashboards' scale: so does the list.
        from vsend.insights.queries import current_scale

        on_scale = Q(pk__in=[])
        for fid, version, band in current_scale().frameworks:
            on_scale |= Q(framework_id=fid, framework_version=version, age_band=band)
        ratings = DomainRating.objects.filter(profile__in=current.filter(on_scale), domain=f.domain)
        if f.level is not None:
            ratings = ratings.filter(need_level=f.level)
        if f.min_level is not None:
            ratings = ratings.filter(need_level__gte=f.min_level)
        if f.gap == "readiness":
            ratings = ratings.filter(need_level__gt=F("readiness_level"))
        elif f.gap == "confidence":
            ratings = ratings.filter(need_level__gt=F("confidence_level"))
        qs = qs.filter(pk__in=ratings.values("profile__child_id"))
    return qs


def current_enrolment(child: Child) -> Enrolment | None:
    cached = getattr(child, "current_enrolments", None)
    if cached is not None:
        return cached[0] if cached else None
    # A child has one current enrolment, or two when dual registered: the newest is chosen
    # here, as the model's ordering would (an ORDER BY over these joins costs more to build).
    found = (
        Enrolment.objects.current()
        .filter(child=child)
        .select_related("setting", "year_group", "school_class")
        .order_by()
    )
    return max(found, key=lambda e: (e.started_on, e.pk), default=None)


@dataclass(frozen=True)
class Placement:
    """Where a child is on roll now, by name: what a page's heading shows."""

    setting_name: str
    year_group_name: str | None


def current_placement(child: Child) -> Placement | None:
    """The names of the child's current setting and year group, chosen as current_enrolment
    chooses, read without the rows they come from (a page that shows only the names)."""
    found = (
        Enrolment.objects.current()
        .filter(child=child)
        .values_list("started_on", "pk", "setting__name", "year_group__name")
        .order_by()
    )
    newest = max(found, key=lambda row: (row[0], row[1]), default=None)
    return Placement(newest[2], newest[3]) if newest else None


def today() -> date:
    return timezone.localdate()


def open_child_record(actor: Actor, pk: int) -> Child:
    """A child's record opened to be read: scoped, and the view audited."""
    child = get_child_for(actor, pk, Perm.VIEW_CHILD)
    record(actor, Action.VIEW, obj=child, summary="Record viewed", page_view=True)
    return child


def upn_holder(authority_id: int, upn: str, *, excluding: Child | None = None) -> Child | None:
    """The other child in the authority this UPN is recorded for, if any (for validation: the
    form names them only to a user who may see them)."""
    others = Child.objects.filter(authority_id=authority_id, upn=upn).select_related("authority")
    if excluding is not None:
        others = others.exclude(pk=excluding.pk)
    return others.first()


def enrolment_history(child: Child) -> QuerySet[Enrolment]:
    return child.enrolments.select_related(
        "setting", "year_group", "school_class", "destination_setting"
    )


def transfers_of(child: Child) -> QuerySet[Transfer]:
    """The moves in a child's history, newest first (shown to all who may see the child)."""
    return child.transfers.select_related("from_setting", "to_setting")


def on_roll(enrolments: "list[Enrolment]", on: date | None = None) -> list[Enrolment]:
    """Of a child's enrolments (already read), those current on the day: the same rule as
    Enrolment.objects.current, without asking the database again."""
    on = on or timezone.localdate()
    current = [
        e for e in enrolments if e.started_on <= on and (e.ended_on is None or e.ended_on >= on)
    ]
    return sorted(current, key=lambda e: e.registration)  # single, then main, then subsidiary


def leaving_enrolments(
    policy: "AccessPolicy", child: Child, enrolments: "list[Enrolment] | None" = None
) -> list[Enrolment]:
    """The child's enrolments, not yet ended, whose leaving the user may record: at a setting
    whose roll they may change (their own setting, or any in their authority)."""
    if enrolments is None:
        enrolments = list(enrolment_history(child))
    today = timezone.localdate()
    return [
        e
        for e in enrolments
        if (e.ended_on is None or e.ended_on >= today) and policy.may_change_roll(e.setting)
    ]


def joining_child(authority_id: int, upn: str, born: date) -> Child | None:
    """The child with exactly this UPN and date of birth in the authority, if any. For the
    joining service only: what the user is told never depends on which part did not match."""
    return Child.objects.filter(authority_id=authority_id, upn=upn, date_of_birth=born).first()


# Counting each child once. A dual-registered child has two current enrolments (main and
# subsidiary); figures for a locality or authority must count them once. Setting figures count
# the child at each setting whose roll they are on.


def counted_enrolments(on: date | None = None) -> QuerySet[Enrolment]:
    """Current enrolments that count towards locality and authority figures: one per child
    (a subsidiary registration is left out; the main one counts)."""
    return Enrolment.objects.current(on).exclude(registration=Registration.SUBSIDIARY)


def count_children_once(enrolments: QuerySet[Enrolment]) -> int:
    """How many different children these enrolments are for (each child once, whatever their
    registrations): use for any figure across more than one setting."""
    return enrolments.values("child_id").distinct().count()


def children_on_roll_once(
    *,
    authority_id: int | None = None,
    locality_id: int | None = None,
    setting_ids: list[int] | None = None,
    on: date | None = None,
) -> QuerySet[Child]:
    """The children on roll across an authority, a locality or a group of settings on a day,
    each once (a child registered at two of them is one child)."""
    enrolments = Enrolment.objects.current(on)
    if authority_id is not None:
        enrolments = enrolments.filter(setting__authority_id=authority_id)
    if locality_id is not None:
        enrolments = enrolments.filter(setting__locality_id=locality_id)
    if setting_ids is not None:
        enrolments = enrolments.filter(setting_id__in=setting_ids)
    return Child.objects.filter(pk__in=enrolments.values("child_id"))


def current_enrolments(child: Child) -> list[Enrolment]:
    """Every setting the child is on roll at today (two for a dual registration)."""
    return list(
        Enrolment.objects.current()
        .filter(child=child)
        .select_related("setting", "year_group", "school_class")
        .order_by("registration", "started_on")
    )


def transfer_made_by(user: object, pk: int) -> Transfer:
    """A move the user made themselves (the page after finding a joining child); anyone
    else's is not found."""
    found = (
        Transfer.objects.filter(pk=pk, made_by_id=getattr(user, "pk", None))
        .select_related("to_setting", "child")
        .first()
    )
    if found is None:
        raise Http404("No transfer found")
    return found
