"""Demo "All about me" pages and the family's and child's views of need.

- The young person (young.person) filled in their own page twice: the first version is kept,
  the second is their current view, and it says one area is harder than the college thinks.
- The family that sent their home answers (parent3) also gave their view of need, and their
  child filled in their page with the SENDCo: the three views differ by 2 levels in one area.
- Two more children in Brookside: one done at home with a parent, one half done in school.
"""

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from vsend.accounts.models import Membership, User
from vsend.accounts.roles import Role
from vsend.children.models import Child
from vsend.demo import data
from vsend.frameworks.loader import DOMAIN_KEYS
from vsend.profiles.models import DomainRating, FamilyAnswers, Profile
from vsend.voice.models import AboutMe, Helper, Status
from vsend.voice.services import framework_for

if TYPE_CHECKING:
    from vsend.demo.loader import Builder

ANSWERS = [
    {
        "like_about_me": {"symbols": ["helping", "ideas"], "words": "I am kind.", "skip": False},
        "important": {"symbols": ["family", "dog"], "words": "", "skip": False},
        "how_to_help": {
            "symbols": ["next", "quiet"],
            "words": "Tell me before things change.",
            "skip": False,
        },
        "likes": {"symbols": ["music", "games", "swimming"], "words": "", "skip": False},
        "dislikes": {"symbols": ["loud", "parties"], "words": "", "skip": False},
        "helps": {"symbols": ["headphones", "quiet"], "words": "", "skip": False},
        "helps_less": {"symbols": [], "words": "", "skip": True},
        "who_helps": {"symbols": ["family", "teacher"], "words": "Mrs Shah", "skip": False},
        "hopes": {"symbols": ["computers"], "words": "Make games.", "skip": False},
        "good_day": {"symbols": ["friends", "outside"], "words": "", "skip": False},
        "hard_day": {"symbols": ["loud", "tired"], "words": "When the bus is late.", "skip": False},
        "wishes": {"symbols": ["dog", "space", "friends"], "words": "", "skip": False},
    },
    {
        "like_about_me": {"symbols": ["happy", "talking"], "words": "", "skip": False},
        "likes": {"symbols": ["football", "bike"], "words": "", "skip": False},
        "dislikes": {"symbols": ["writing"], "words": "Long bits of writing.", "skip": False},
        "helps": {"symbols": ["tablet", "asking"], "words": "", "skip": False},
        "who_helps": {"symbols": ["teacher", "friends"], "words": "", "skip": False},
        "hopes": {"symbols": ["football"], "words": "Play for a team.", "skip": False},
        "wishes": {"symbols": ["winning", "presents"], "words": "", "skip": False},
    },
]


def _at(today: date, days_ago: int) -> datetime:
    return timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time(11, 0)))


def _needs(child: Child) -> dict[str, int]:
    profile = Profile.objects.filter(child=child).order_by("-number").first()
    if profile is None:
        return {}
    return {
        r.domain: r.need_level
        for r in DomainRating.objects.filter(profile=profile)
        if r.need_level is not None
    }


def _views(needs: dict[str, int], apart: str | None) -> dict[str, dict]:
    """The child's view: close to the adults' ratings, but 2 levels apart in one area."""
    views = {}
    for k in DOMAIN_KEYS:
        level = needs.get(k, 1)
        if k == apart:
            level = level - 2 if level >= 2 else level + 2
        views[k] = {"level": max(0, min(4, level)), "skip": False}
    return views


def _page(
    child: Child,
    number: int,
    by: User,
    helper: str,
    answers: dict,
    views: dict,
    sent: datetime | None,
    helper_name: str = "",
) -> None:
    fw = framework_for(child)
    AboutMe.objects.create(
        child=child,
        number=number,
        status=Status.SUBMITTED if sent else Status.DRAFT,
        answers=answers,
        area_views=views,
        framework_id=fw.id,
        framework_version=fw.version,
        started_by=by,
        started_at=(sent or timezone.now()) - timedelta(days=1),
        updated_at=sent or timezone.now(),
        helper=helper,
        helped_by=by,
        helper_name=helper_name,
        submitted_at=sent,
    )


def _sendco_of(child: Child) -> User | None:
    enrolment = child.enrolments.filter(ended_on__isnull=True).first()
    m = (
        Membership.objects.filter(role=Role.SENDCO, setting_id=enrolment.setting_id)
        .select_related("user")
        .first()
        if enrolment
        else None
    )
    return m.user if m else None


def add_voices(builder: "Builder") -> None:
    if AboutMe.objects.filter(child__authority=builder.authority).exists():
        return  # loaded before: the demo is loaded again without doubling anything
    today = builder.today
    # The young person, on their own: a first version kept, and their view now.
    yp = User.objects.get(email=f"young.person@{data.EMAIL_DOMAIN}")
    adult = Membership.objects.get(user=yp, role=Role.YOUNG_PERSON).child
    assert adult is not None
    needs = _needs(adult)
    _page(adult, 1, yp, Helper.SELF, ANSWERS[1], _views(needs, None), _at(today, 160))
    _page(
        adult,
        2,
        yp,
        Helper.SELF,
        ANSWERS[0],
        _views(needs, DOMAIN_KEYS[2]),
        _at(today, 6),
        "My key worker",
    )

    # The family who sent their home answers: their view of need, and the child's with the SENDCo.
    parent = User.objects.get(email=f"parent3@{data.EMAIL_DOMAIN}")
    answers = FamilyAnswers.objects.filter(answered_by=parent, sent_at__isnull=False).first()
    if answers is not None:
        child = answers.profile.child
        needs = _needs(child)
        answers.answers = {k: v | {"need": needs.get(k, 1)} for k, v in answers.answers.items()}
        answers.save(update_fields=["answers"])
        sendco = _sendco_of(child)
        if sendco is not None:
            _page(
                child,
                1,
                sendco,
                Helper.STAFF,
                ANSWERS[0],
                _views(needs, DOMAIN_KEYS[0]),
                _at(today, 3),
            )

    # Brookside: one child's page done at home with a parent, one half done in school.
    parent1 = User.objects.get(email=f"parent1@{data.EMAIL_DOMAIN}")
    home_child = parent1.family_links.select_related("child").first()
    done = set(AboutMe.objects.values_list("child_id", flat=True))
    if home_child is not None and home_child.child_id not in done:
        needs = _needs(home_child.child)
        _page(
            home_child.child,
            1,
            parent1,
            Helper.FAMILY,
            ANSWERS[1],
            _views(needs, None),
            _at(today, 12),
        )
    brookside = builder.settings["brookside"]
    in_school = Membership.objects.filter(role=Role.SENDCO, setting=brookside).first()
    others = [
        c
        for c in builder.by_setting["brookside"]
        if c.sen_provision != "N" and not AboutMe.objects.filter(child=c).exists()
    ]
    if in_school is not None and others:
        half = dict(list(ANSWERS[0].items())[:5])
        _page(others[0], 1, in_school.user, Helper.STAFF, half, {}, None)
