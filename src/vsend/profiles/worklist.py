"""Worklists: what needs doing next for the children a user reaches.

Everything starts from a queryset of children already limited to the user's reach (the access
policy), so a worklist can never name a child the user may not see. Counts that link to the
children list use the list's own filters (children.selectors.filter_children), so "See all N"
always lists exactly N children.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse

from vsend.children.models import Child
from vsend.children.selectors import ChildFilters, filter_children
from vsend.profiles.models import FamilyAnswers, Profile, Status
from vsend.profiles.tasks import resume_url

SHOWN = 10
DUE_SOON_DAYS = 28


@dataclass
class Group:
    """One kind of work: the first few entries, how many in all, and a link to them all."""

    entries: list[Any] = field(default_factory=list)
    total: int = 0
    link: str = ""


@dataclass
class Worklist:
    overdue: Group
    due_soon: Group
    drafts: Group
    family_received: Group
    family_waiting: Group
    no_profile: Group

    @property
    def children(self) -> list[Child]:
        """Every child the worklist names (for the audit row)."""
        found: list[Child] = []
        for group in (self.overdue, self.due_soon, self.drafts, self.family_received):
            found += [e.child for e in group.entries]
        found += [e.profile.child for e in self.family_waiting.entries]
        found += list(self.no_profile.entries)
        return found

    @property
    def empty(self) -> bool:
        return not any(
            g.total
            for g in (
                self.overdue,
                self.due_soon,
                self.drafts,
                self.family_received,
                self.family_waiting,
                self.no_profile,
            )
        )


def _current(today: date) -> QuerySet[Profile]:
    return Profile.objects.filter(status=Status.FINALISED, assessment_date__lte=today).filter(
        Q(superseded_on__isnull=True) | Q(superseded_on__gt=today)
    )


def _list_link(params: dict[str, Any]) -> str:
    from urllib.parse import urlencode

    return reverse("children:list") + "?" + urlencode({k: v for k, v in params.items() if v})


def worklist_for(
    children: QuerySet[Child], today: date, *, setting_id: int | None = None
) -> Worklist:
    """The worklist for these children (already limited to the user's reach)."""
    current = _current(today).filter(child__in=children).select_related("child")
    overdue_qs = current.filter(review_date__lt=today).order_by("review_date")
    overdue_children = filter_children(
        children, ChildFilters(profile="overdue", setting=setting_id)
    )
    due_qs = current.filter(
        review_date__gte=today, review_date__lte=today + timedelta(days=DUE_SOON_DAYS)
    ).order_by("review_date")
    drafts_qs = (
        Profile.objects.filter(child__in=children, status=Status.DRAFT)
        .select_related("child")
        .order_by("updated_at")
    )
    received_qs = (
        FamilyAnswers.objects.filter(
            profile__child__in=children, profile__status=Status.DRAFT, sent_at__isnull=False
        )
        .select_related("profile__child")
        .order_by("-sent_at")
    )
    waiting_qs = (
        FamilyAnswers.objects.filter(
            profile__child__in=children,
            profile__status=Status.DRAFT,
            requested_at__isnull=False,
            sent_at__isnull=True,
        )
        .select_related("profile__child")
        .order_by("requested_at")
    )
    drafts = list(drafts_qs[:SHOWN])
    for draft in drafts:
        draft.resume = resume_url(draft)  # type: ignore[attr-defined]
    no_profile_qs = filter_children(children, ChildFilters(profile="none", setting=setting_id))
    return Worklist(
        overdue=Group(
            list(overdue_qs[:SHOWN]),
            overdue_children.count(),
            _list_link({"profile": "overdue", "setting": setting_id}),
        ),
        due_soon=Group(list(due_qs[:SHOWN]), due_qs.count()),
        drafts=Group(drafts, drafts_qs.count()),
        family_received=Group([a.profile for a in received_qs[:SHOWN]], received_qs.count()),
        family_waiting=Group(list(waiting_qs[:SHOWN]), waiting_qs.count()),
        no_profile=Group(
            list(no_profile_qs.order_by("last_name", "first_name")[:SHOWN]),
            no_profile_qs.count(),
            _list_link({"profile": "none", "setting": setting_id}),
        ),
    )
