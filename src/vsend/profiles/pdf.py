"""The whole profile as a tagged PDF (WeasyPrint, PDF/UA), with the chart and its key, the
child's details, and the child's name, the date and page numbers on every page.

A family's copy (asked for by a parent, carer or the young person) gives each need in the
framework's family words where the framework file has them, and otherwise its usual words; it
speaks to a young person as "you", uses the words the family's own pages use, and leaves out the
notes staff keep for their work (the evidence for each need, the notes on readiness).
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from vsend.accounts.policy import AccessPolicy
from vsend.accounts.roles import CHILD_LINKED_ROLES, Role
from vsend.children.models import Enrolment
from vsend.children.selectors import enrolment_history
from vsend.config.jinja2 import format_date
from vsend.exports.pdf import tagged_pdf
from vsend.profiles.chart import profile_chart
from vsend.voice.questions import family_level_words
from vsend.voice.selectors import three_views


@dataclass(frozen=True)
class Details:
    setting: str
    year_group: str
    sen_provision: str
    completed_by: str
    home_confidence_by: str


def _enrolment(profile: Any) -> Enrolment | None:
    """Where the child was when assessed (or, failing that, is now)."""
    history = list(enrolment_history(profile.child))  # a handful of rows, newest first

    def on(day: date) -> Enrolment | None:
        return next(
            (
                e
                for e in history
                if e.started_on <= day and (e.ended_on is None or e.ended_on >= day)
            ),
            None,
        )

    return on(profile.assessment_date) or on(timezone.localdate())


def details(profile: Any) -> Details:
    enrolment = _enrolment(profile)
    year = _("Not recorded")
    if enrolment is not None and enrolment.year_group is not None:
        year = enrolment.year_group.name
        if enrolment.school_class is not None:
            year = _("%(year)s, class %(class)s") % {
                "year": year,
                "class": enrolment.school_class.name,
            }
    if profile.finalised_by_id is not None:
        completed = _("%(name)s, finalised %(date)s") % {
            "name": profile.finaliser_name,
            "date": format_date(profile.finalised_at),
        }
    elif profile.created_by is not None:
        completed = _("Being written by %(name)s (a draft)") % {
            "name": profile.created_by.full_name
        }
    else:
        completed = _("Not recorded")
    home = _("Not given yet")
    if profile.home_recorded_by_id is not None:
        home = (
            _("The family")
            if profile.home_by_family
            else _("%(name)s, on the family's behalf") % {"name": profile.home_recorder_name}
        )
    return Details(
        setting=enrolment.setting.name if enrolment is not None else _("Not recorded"),
        year_group=year,
        sen_provision=profile.child.get_sen_provision_display(),
        completed_by=completed,
        home_confidence_by=home,
    )


def descriptor(domain: Any, level: int, family: bool, *, to_reader: bool = False) -> str:
    """A need level's descriptor: for families, the framework's family words if it has them
    (to_reader: for the young person, speaking to them as "you"), in the family's language
    (the texts families read are in the catalogue: frameworks.loader.family_texts)."""
    if family:
        words = getattr(domain, "family_descriptors", None) or ()
        if level < len(words) and words[level]:
            if to_reader and hasattr(domain, "family_descriptor"):
                return _(str(domain.family_descriptor(level, to_reader=True)))
            return _(str(words[level]))
        return _(str(domain.descriptors[level]))
    return str(domain.descriptors[level])


def _reaching_roles(user: Any, child_id: int) -> set[str]:
    policy = AccessPolicy.for_user(user)
    return {
        m.role
        for m in policy.memberships
        if policy.children_reached_by(m).filter(pk=child_id).exists()
    }


def is_family_copy(user: Any, child_id: int) -> bool:
    """True when every membership through which the user reaches the child is a family one
    (parent or carer, or the young person): they get the family's words."""
    roles = _reaching_roles(user, child_id)
    return bool(roles) and roles <= set(CHILD_LINKED_ROLES)


def is_own_copy(user: Any, child_id: int) -> bool:
    """The young person asking for their own profile: the copy speaks to them as "you"."""
    return _reaching_roles(user, child_id) == {Role.YOUNG_PERSON}


def profile_pdf(  # noqa: ANN001
    view, request: HttpRequest | None = None, *, family: bool = False, own_record: bool = False
) -> bytes:
    profile = view.profile
    own_record = family and own_record
    three = three_views(view)  # the setting's, the family's and the child's own (ADR 28)
    html = render_to_string(
        "profiles/pdf.html",
        {
            "view": view,
            "profile": profile,
            # The child's own view is the chart's fourth series, as on the profile's page.
            "chart": profile_chart(view, three.child_levels),
            "three": three,
            # The family's copy gives the setting's rating in the words families choose from.
            "family_words": family_level_words(len(view.framework.scale)),
            "details": details(profile),
            "family": family,
            "own_record": own_record,
            "descriptors": {
                d.domain.key: descriptor(
                    d.domain, d.rating.need_level, family, to_reader=own_record
                )
                for d in view.domains
                if d.rating.need_level is not None
            },
            "now": timezone.localdate(),
            "language": translation.get_language() or settings.LANGUAGE_CODE,
        },
        request=request,
    )
    return tagged_pdf(html)
