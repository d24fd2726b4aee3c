"""Scoped reads of a child's own views, and the three views of need side by side.

A child's "All about me" is seen exactly when the child is: through the access policy
(children.selectors.get_child_for), with every read audited by the page that shows it.
"""

from dataclasses import dataclass

from django.utils.translation import gettext

from vsend.profiles.models import Profile
from vsend.voice.models import AboutMe, Status
from vsend.voice.questions import child_level_words, family_level_words

# Two views this many levels apart are something to talk about (never averaged, never hidden).
TALK_ABOUT = 2


def versions(child_id: int) -> list[AboutMe]:
    """The child's sent versions, newest first."""
    return list(
        AboutMe.objects.filter(child_id=child_id, status=Status.SUBMITTED).order_by("-number")
    )


def draft(child_id: int) -> AboutMe | None:
    return AboutMe.objects.filter(child_id=child_id, status=Status.DRAFT).first()


def version(child_id: int, number: int) -> AboutMe | None:
    if number > 2**31 - 1:  # larger than any version number can be
        return None
    return AboutMe.objects.filter(child_id=child_id, number=number, status=Status.SUBMITTED).first()


def view_for_profile(profile: Profile) -> AboutMe | None:
    """The child's own view to show beside a profile: the newest sent version while the profile
    is the child's current picture (a draft, or the latest finalised one); for a profile that a
    later one replaced, the newest sent by the day it was replaced."""
    found = AboutMe.objects.filter(child_id=profile.child_id, status=Status.SUBMITTED)
    if profile.superseded_on is not None:
        found = found.filter(submitted_at__date__lte=profile.superseded_on)
    return found.order_by("-submitted_at").first()


@dataclass(frozen=True)
class View:
    level: int | None
    words: str


@dataclass(frozen=True)
class AreaViews:
    name: str
    setting: View
    family: View
    child: View

    @property
    def levels(self) -> list[int]:
        return [v.level for v in (self.setting, self.family, self.child) if v.level is not None]

    @property
    def talk_about(self) -> bool:
        """Any two views 2 or more levels apart."""
        lv = self.levels
        return len(lv) > 1 and max(lv) - min(lv) >= TALK_ABOUT


@dataclass(frozen=True)
class ThreeViews:
    rows: list[AreaViews]
    child_levels: list[int | None]
    about_me: AboutMe | None
    family_given: bool

    @property
    def any_child(self) -> bool:
        return any(v is not None for v in self.child_levels)

    @property
    def to_talk_about(self) -> list[AreaViews]:
        return [r for r in self.rows if r.talk_about]


def three_views(view) -> ThreeViews:  # noqa: ANN001 - a profiles.selectors.ProfileView
    """Per area: the setting's need rating, the family's view of need (sent with their home
    answers) and the child's own view, each on the framework's levels."""
    profile = view.profile
    scale = view.framework.scale
    child_words = child_level_words(len(scale))
    family_words = family_level_words(len(scale))
    answers = view.family_answers
    sent = answers.answers if answers is not None and answers.sent_at else {}
    about_me = view_for_profile(profile)
    rows, child_levels = [], []
    for d in view.domains:
        key = d.domain.key
        need = d.rating.need_level
        fam = (sent.get(key) or {}).get("need")
        mine = about_me.area_level(key) if about_me is not None else None
        if mine is not None and not 0 <= mine < len(scale):
            mine = None  # made on another framework's levels: not drawn on these
        child_levels.append(mine)
        rows.append(
            AreaViews(
                # In the reader's words, as the family's and the child's are (data texts).
                name=gettext(d.domain.name),
                setting=View(need, gettext(scale[need].need) if need is not None else ""),
                family=View(fam, family_words[fam] if fam is not None else ""),
                child=View(mine, child_words[mine] if mine is not None else ""),
            )
        )
    return ThreeViews(
        rows=rows,
        child_levels=child_levels,
        about_me=about_me,
        family_given=any((v or {}).get("need") is not None for v in sent.values()),
    )
