"""Fixed personas in two authorities, used across the suite.

Authority A has settings A1 (a primary) and A2; authority B has one setting. child_a1 is in
setting A1, class 3X, with a parent, a caseworker and a teacher who can reach them.
"""

from dataclasses import dataclass
from datetime import date

import pytest
from django.test import Client

from vsend.accounts.models import Membership, User
from vsend.accounts.roles import Role
from vsend.children.models import CaseAssignment, Child, Enrolment, FamilyLink
from vsend.organisations.models import LocalAuthority, Locality, SchoolClass, Setting, YearGroup

PASSWORD = "a-long-test-password-1"


@pytest.fixture(autouse=True)
def _empty_cache():
    # Cached dashboard figures are keyed by database ids, which a rolled-back test can reuse.
    from django.core.cache import cache

    cache.clear()
    # So is what a process keeps of finalised profiles.
    from vsend.profiles import finalised

    finalised.forget()


@pytest.fixture(autouse=True)
def _jobs_run_at_once(monkeypatch):
    # Jobs run inside the request that queues them, except in tests of the worker itself.
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", True)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    authority: LocalAuthority
    other_authority: LocalAuthority
    setting: Setting
    other_setting: Setting
    far_setting: Setting
    year3: YearGroup
    class_3x: SchoolClass
    class_3y: SchoolClass
    child: Child
    classmate: Child
    other_setting_child: Child
    young_person_child: Child
    far_child: Child
    users: dict[str, User]


def _setting(authority: LocalAuthority, locality: Locality, name: str, urn: str) -> Setting:
    return Setting.objects.create(
        authority=authority,
        locality=locality,
        name=name,
        urn=urn,
        establishment_number="2" + urn[-3:],  # as GIAS gives it; CTFs name the school by it
        setting_type="primary",
    )


def _child(authority: LocalAuthority, setting: Setting, first: str, born: date, **kw) -> Child:
    year_group = kw.pop("year_group", None)
    school_class = kw.pop("school_class", None)
    child = Child.objects.create(
        authority=authority, first_name=first, last_name="Test", date_of_birth=born, sex="F", **kw
    )
    Enrolment.objects.create(
        child=child,
        setting=setting,
        year_group=year_group,
        school_class=school_class,
        started_on=date(2025, 9, 1),
    )
    return child


def _user(email: str, role: str, **membership) -> User:
    user = User.objects.create_user(email, PASSWORD, full_name=email.split("@")[0].title())
    classes = membership.pop("classes", [])
    m = Membership.objects.create(user=user, role=role, **membership)
    m.classes.set(classes)
    return user


@pytest.fixture
def world(db) -> World:
    a = LocalAuthority.objects.create(name="Authority A", code="925")
    b = LocalAuthority.objects.create(name="Authority B", code="926")
    north = Locality.objects.create(authority=a, name="North")
    south = Locality.objects.create(authority=a, name="South")
    b_loc = Locality.objects.create(authority=b, name="Central")
    s1 = _setting(a, north, "Setting A1", "100001")
    s2 = _setting(a, south, "Setting A2", "100002")
    s3 = _setting(b, b_loc, "Setting B1", "100003")
    year3 = YearGroup.objects.create(setting=s1, code="3", name="Year 3", position=5)
    YearGroup.objects.create(setting=s1, code="4", name="Year 4", position=6)
    class_3x = SchoolClass.objects.create(setting=s1, year_group=year3, name="3X")
    class_3y = SchoolClass.objects.create(setting=s1, year_group=year3, name="3Y")
    child = _child(
        a,
        s1,
        "Amelia",
        date(2018, 1, 10),
        year_group=year3,
        school_class=class_3x,
        sen_provision="K",
        primary_need="ASD",
        upn="V925200018001",
    )
    classmate = _child(a, s1, "Bella", date(2018, 3, 1), year_group=year3, school_class=class_3y)
    other_child = _child(a, s2, "Cara", date(2017, 5, 5), sen_provision="E", primary_need="SLCN")
    yp_child = _child(a, s1, "Dana", date(2009, 2, 2))
    far_child = _child(b, s3, "Erin", date(2016, 6, 6))
    users = {
        "platform_admin": _user("platform@example.org", Role.PLATFORM_ADMIN),
        "la_admin": _user("la.admin@example.org", Role.LA_ADMIN, authority=a),
        "la_officer": _user("la.officer@example.org", Role.LA_OFFICER, authority=a),
        "caseworker": _user("caseworker@example.org", Role.CASEWORKER, authority=a),
        "sendco": _user("sendco@example.org", Role.SENDCO, authority=a, setting=s1),
        "teacher": _user(
            "teacher@example.org", Role.TEACHER, authority=a, setting=s1, classes=[class_3x]
        ),
        "parent": _user("parent@example.org", Role.PARENT, authority=a),
        "young_person": _user("yp@example.org", Role.YOUNG_PERSON, authority=a, child=yp_child),
        "other_setting": _user("sendco.a2@example.org", Role.SENDCO, authority=a, setting=s2),
        "other_authority": _user("la.admin.b@example.org", Role.LA_ADMIN, authority=b),
        "governor": _user("governor@example.org", Role.GOVERNOR, authority=a, setting=s1),
    }
    CaseAssignment.objects.create(child=child, caseworker=users["caseworker"])
    FamilyLink.objects.create(child=child, user=users["parent"], relationship="mother")
    return World(
        a,
        b,
        s1,
        s2,
        s3,
        year3,
        class_3x,
        class_3y,
        child,
        classmate,
        other_child,
        yp_child,
        far_child,
        users,
    )


@pytest.fixture
def as_user(world):
    """A test client signed in as one of the world's personas."""

    def make(persona: str) -> Client:
        client = Client()
        client.force_login(world.users[persona])
        return client

    return make


@pytest.fixture
def pseudo_welsh(tmp_path, settings):
    """A language whose catalogue a translator made from the committed template, translating
    every message in it (and nothing else) as «the English»: a page shows «...» exactly for the
    words that reached the catalogue and went through gettext."""
    from tests.i18n_check import entries, write_mo
    from vsend.config import messages

    translations = {}
    for e in entries(messages.CATALOGUE.read_text(encoding="utf-8")):
        if e.plural is None:
            translations[e.msgid] = f"«{e.msgid}»"
        else:
            translations[f"{e.msgid}\0{e.plural}"] = f"«{e.msgid}»\0«{e.plural}»"
    write_mo(tmp_path / "cy" / "LC_MESSAGES" / "django.mo", translations)
    settings.LOCALE_PATHS = [tmp_path]
    settings.LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
    from django.utils.translation import trans_real

    trans_real._translations = {}
    trans_real._active = trans_real.Local()
    yield lambda text: f"«{text}»"
    trans_real._translations = {}
    trans_real._active = trans_real.Local()
