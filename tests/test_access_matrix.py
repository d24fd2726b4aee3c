"""Every URL, pages and API, for every persona and every HTTP method.

anonymous -> the sign-in page (pages) or 401 (API); a child outside the user's reach -> 404,
whatever their role; within reach without the permission -> 403; a method the URL does not
accept -> 405. A URL added without a row here fails test_every_url_is_in_the_matrix.

Each URL about a child is tried with a child each persona reaches and with others they do not
(a teacher's other class, another family, another setting, another authority).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from vsend.accounts.models import ApiToken, Invitation, hash_token
from vsend.accounts.services import create_api_token
from vsend.audit.services import SYSTEM, Actor

PERSONAS = [
    "anonymous",
    "platform_admin",
    "la_admin",
    "la_officer",
    "caseworker",
    "sendco",
    "teacher",
    "parent",
    "young_person",
    "governor",
    "other_setting",
    "other_authority",
]
SIGNED_IN = PERSONAS[1:]
METHODS = ("get", "post", "put", "patch", "delete")

# The children in conftest's world, by attribute: child (setting A1, class 3X, the parent's,
# the caseworker's), classmate (A1, class 3Y), young_person_child (A1, no class),
# other_setting_child (A2), far_child (authority B).
CHILDREN = ["child", "classmate", "young_person_child", "other_setting_child", "far_child"]
AUTHORITY_A = {"child", "classmate", "young_person_child", "other_setting_child"}
REACH: dict[str, set[str]] = {
    "platform_admin": set(CHILDREN),
    "la_admin": AUTHORITY_A,
    "la_officer": set(),  # aggregates only: no child exists for them
    "caseworker": {"child"},
    "sendco": {"child", "classmate", "young_person_child"},
    "teacher": {"child"},
    "parent": {"child"},
    "young_person": {"young_person_child"},
    "governor": set(),
    "other_setting": {"other_setting_child"},
    "other_authority": {"far_child"},
}
SEES_CHILD = {
    "platform_admin",
    "la_admin",
    "caseworker",
    "sendco",
    "teacher",
    "parent",
    "young_person",
    "other_setting",
    "other_authority",
}
CHANGES_CHILD = {"platform_admin", "la_admin", "sendco", "other_setting", "other_authority"}
SEES_ACCESS = CHANGES_CHILD | {"caseworker"}
SEES_PROFILE = SEES_CHILD
EDITS_PROFILE = CHANGES_CHILD
FAMILY = {"parent"}


@dataclass(frozen=True)
class AboutChild:
    """Statuses for a URL about one child: holders of the permission get ok for a child they
    reach, others in reach 403, and everyone else 404."""

    holders: set[str]
    ok: int = 200

    def expect(self, persona: str, child: str = "child") -> int:
        if child not in REACH[persona]:
            return 404
        return self.ok if persona in self.holders else 403


Expected = dict[str, int] | AboutChild


def only(ok: set[str], *, others: int, ok_status: int = 200) -> dict[str, int]:
    return {p: ok_status if p in ok else others for p in SIGNED_IN}


def everyone(status: int) -> dict[str, int]:
    return {p: status for p in SIGNED_IN}


ALL_OK = everyone(200)
SETTING_INSIGHT = only(
    {"platform_admin", "la_admin", "la_officer", "sendco", "teacher", "governor"}, others=404
)
AUTHORITY_INSIGHT = only(
    {"platform_admin", "la_admin", "la_officer", "other_authority"}, others=403
)
CHILD_LIST = only(set(SIGNED_IN) - {"la_officer", "governor"}, others=403)
CAN_ADD = only(CHANGES_CHILD, others=403)
# People: managed by the authority's administrators and the setting's SENDCo; for everyone
# else the setting or authority is not found.
SETTING_PEOPLE = only({"platform_admin", "la_admin", "sendco"}, others=404)
AUTHORITY_PEOPLE = only({"platform_admin", "la_admin"}, others=404)
PEOPLE_CHANGE = only({"platform_admin", "la_admin", "sendco"}, others=404, ok_status=302)
PEOPLE_INDEX = {
    **only({"platform_admin", "la_admin", "other_authority"}, others=403),
    "sendco": 302,  # straight to their setting
    "other_setting": 302,
}
# Authority A's administrators; B's administrator lists only B's, and A's records are 404 to them.
PEOPLE_ADMINS = {"platform_admin", "la_admin"}
ORGANISATION_LIST = only(PEOPLE_ADMINS | {"other_authority"}, others=403)
# Running authority A (its administrators; authority B's administrator does not find it) and
# setting A1's classes (its SENDCo and authority A's administrators).
RUNS_AUTHORITY = {
    **only({"platform_admin", "la_admin"}, others=403),
    "other_authority": 404,
}
RUNS_CLASSES = {
    **only({"platform_admin", "la_admin", "sendco"}, others=403),
    "other_setting": 404,
    "other_authority": 404,
}
# Only the uploader reaches their upload; confirming it loads it (the result page, 200).
UPLOADER = {**RUNS_AUTHORITY, "platform_admin": 404}


@dataclass(frozen=True)
class Row:
    name: str
    key: str | None  # what the URL is about (see _url)
    methods: dict[str, Expected]  # the methods the URL accepts; any other gets 405
    api: bool = False
    public: dict[str, int] = field(default_factory=dict)  # anonymous, for public URLs

    @property
    def id(self) -> str:
        return f"{self.name}[{self.key}]" if self.key and ":" in self.key else self.name


ROWS = [
    Row("home", None, {"get": ALL_OK}),
    Row("healthz", None, {"get": ALL_OK}, public={"get": 200}),
    Row("readyz", None, {"get": ALL_OK}, public={"get": 200}),
    # Only for a scraper with the metrics token (tests/test_operations.py): nobody else finds it.
    Row("metrics", None, {"get": everyone(404)}, public={"get": 404}),
    # Signed-in users are sent home; an empty form is shown again with its errors.
    Row(
        "accounts:sign-in",
        None,
        {"get": everyone(302), "post": everyone(302)},
        public={"get": 200, "post": 200},
    ),
    Row("accounts:mfa-verify", None, {"get": ALL_OK, "post": ALL_OK}),
    Row("accounts:mfa-recovery", None, {"get": ALL_OK, "post": ALL_OK}),
    # Anyone may ask for a reset link; an empty form comes back with its errors (200).
    Row(
        "accounts:password-reset",
        None,
        {"get": ALL_OK, "post": ALL_OK},
        public={"get": 200, "post": 200},
    ),
    Row("accounts:password-reset-sent", None, {"get": ALL_OK}, public={"get": 200}),
    # A forged link gets the page that says the link does not work.
    Row(
        "accounts:password-reset-confirm",
        "reset_link",
        {"get": ALL_OK, "post": ALL_OK},
        public={"get": 200, "post": 200},
    ),
    Row("accounts:password-reset-done", None, {"get": ALL_OK}, public={"get": 200}),
    # Nobody in the fixture has an authenticator app, so making codes sends them to set one up.
    Row("accounts:recovery-codes", None, {"get": ALL_OK, "post": everyone(302)}),
    Row(
        "accounts:reset-authenticator",
        "person",
        {
            "get": only(PEOPLE_ADMINS, others=404),
            "post": only(PEOPLE_ADMINS, others=404, ok_status=302),
        },
    ),
    Row("accounts:sign-out", None, {"post": ALL_OK}),
    Row("accounts:account", None, {"get": ALL_OK}),
    Row("accounts:mfa-setup", None, {"get": ALL_OK, "post": ALL_OK}),
    Row("accounts:token-create", None, {"get": ALL_OK, "post": ALL_OK}),
    Row("accounts:token-revoke", "token", {"post": only({"sendco"}, others=404, ok_status=302)}),
    Row("children:list", None, {"get": CHILD_LIST}),
    # An empty form comes back with its errors (200).
    Row("children:create", None, {"get": CAN_ADD, "post": CAN_ADD}),
    Row("children:detail", "child", {"get": AboutChild(SEES_CHILD)}),
    Row(
        "children:edit",
        "child",
        {"get": AboutChild(CHANGES_CHILD), "post": AboutChild(CHANGES_CHILD)},
    ),
    Row("children:access", "child", {"get": AboutChild(SEES_ACCESS)}),
    Row(
        "profiles:start",
        "child_pk",
        # A draft exists, so starting again goes to it.
        {"get": AboutChild(EDITS_PROFILE, 302), "post": AboutChild(EDITS_PROFILE, 302)},
    ),
    Row("profiles:summary", "profile", {"get": AboutChild(SEES_PROFILE)}),
    Row("profiles:chart", "profile", {"get": AboutChild(SEES_PROFILE)}),
    # The PDF is made by a job (run at once in tests), then the user is sent on to the file.
    Row("profiles:pdf", "profile", {"get": AboutChild(SEES_PROFILE, ok=302)}),
    # A made file belongs to the one who asked for it (the SENDCo): anyone else gets a 404.
    Row("exports:detail", "export", {"get": only({"sendco"}, others=404, ok_status=302)}),
    Row("exports:file", "export", {"get": only({"sendco"}, others=404)}),
    Row(
        "profiles:step",
        "profile_step",
        # An empty needs step comes back with its errors.
        {"get": AboutChild(EDITS_PROFILE), "post": AboutChild(EDITS_PROFILE)},
    ),
    # The draft is incomplete, so finalising is refused (409) for those allowed to try.
    Row("profiles:finalise", "profile", {"post": AboutChild(EDITS_PROFILE, 409)}),
    # Reviewing a draft just returns to its summary.
    Row("profiles:review", "profile", {"post": AboutChild(EDITS_PROFILE, 302)}),
    Row("profiles:family-start", "profile", {"get": AboutChild(FAMILY)}),
    Row(
        "profiles:family-question",
        "profile_domain",
        {"get": AboutChild(FAMILY), "post": AboutChild(FAMILY)},
    ),
    Row(
        "profiles:family-check",
        "profile",
        {"get": AboutChild(FAMILY), "post": AboutChild(FAMILY)},
    ),
    Row("api:child-profiles", "child", {"get": AboutChild(SEES_PROFILE)}, api=True),
    # An empty change is refused as invalid (400).
    Row(
        "api:profile",
        "profile",
        {"get": AboutChild(SEES_PROFILE), "patch": AboutChild(EDITS_PROFILE, 400)},
        api=True,
    ),
    Row("api:profile-chart", "profile", {"get": AboutChild(SEES_PROFILE)}, api=True),
    Row("api:profile-pdf", "profile", {"get": AboutChild(SEES_PROFILE, ok=303)}, api=True),
    Row("api:export", "export", {"get": only({"sendco"}, others=404, ok_status=303)}, api=True),
    Row("api:export-file", "export", {"get": only({"sendco"}, others=404)}, api=True),
    Row("insights:setting", "setting", {"get": SETTING_INSIGHT}),
    Row("insights:setting-export", "setting_export:csv", {"get": SETTING_INSIGHT}),
    Row("insights:setting-export", "setting_export:xlsx", {"get": SETTING_INSIGHT}),
    Row("insights:setting-export", "setting_export:pdf", {"get": everyone(404)}),
    # The governors' summary is made by a job, then the user is sent on to the file.
    Row(
        "insights:governors",
        "setting",
        {"get": {p: 302 if v == 200 else v for p, v in SETTING_INSIGHT.items()}},
    ),
    Row("insights:authority", None, {"get": AUTHORITY_INSIGHT}),
    Row("insights:authority-export", "export:csv", {"get": AUTHORITY_INSIGHT}),
    Row("insights:authority-export", "export:xlsx", {"get": AUTHORITY_INSIGHT}),
    Row(
        "insights:authority-export",
        "export:svg",
        {"get": {p: 404 if s == 200 else s for p, s in AUTHORITY_INSIGHT.items()}},
    ),
    Row("api:setting-insight", "setting", {"get": SETTING_INSIGHT}, api=True),
    Row("api:authority-insight", None, {"get": AUTHORITY_INSIGHT}, api=True),
    Row(
        "audit-log",
        None,
        {"get": only({"platform_admin", "la_admin", "other_authority"}, others=403)},
    ),
    Row("api:me", None, {"get": ALL_OK}, api=True),
    Row("api:schema", None, {"get": ALL_OK}, api=True),
    Row("api:children", None, {"get": CHILD_LIST}, api=True),
    Row("api:child", "child", {"get": AboutChild(SEES_CHILD)}, api=True),
    Row("people:index", None, {"get": PEOPLE_INDEX}),
    Row("people:setting", "setting", {"get": SETTING_PEOPLE}),
    # An empty form comes back with its errors.
    Row("people:setting-invite", "setting", {"get": SETTING_PEOPLE, "post": SETTING_PEOPLE}),
    Row("people:authority", "authority", {"get": AUTHORITY_PEOPLE}),
    Row(
        "people:authority-invite", "authority", {"get": AUTHORITY_PEOPLE, "post": AUTHORITY_PEOPLE}
    ),
    Row("people:membership", "membership", {"get": SETTING_PEOPLE, "post": SETTING_PEOPLE}),
    Row("people:suspend", "account", {"post": PEOPLE_CHANGE}),
    Row("people:restore", "account", {"post": PEOPLE_CHANGE}),
    Row("people:invitation-resend", "invitation", {"post": PEOPLE_CHANGE}),
    Row("people:invitation-cancel", "invitation", {"post": PEOPLE_CHANGE}),
    # The invitation is for an address with no account: signed in as anyone else, the page
    # says so; signed out, it asks for a password (an empty form comes back with its errors).
    Row(
        "accounts:invitation",
        "invitation_link",
        {"get": ALL_OK, "post": ALL_OK},
        public={"get": 200, "post": 200},
    ),
    Row("api:localities", None, {"get": ORGANISATION_LIST}, api=True),
    Row("api:settings", None, {"get": ORGANISATION_LIST}, api=True),
    Row("api:setting", "setting", {"get": only(PEOPLE_ADMINS, others=404)}, api=True),
    Row("api:people", None, {"get": ORGANISATION_LIST}, api=True),
    Row("api:person", "person", {"get": only(PEOPLE_ADMINS, others=404)}, api=True),
    # Empty forms come back with their errors (200).
    # An empty form is shown again with its errors to the platform administrator.
    Row(
        "organisations:authority-create",
        None,
        {"get": only({"platform_admin"}, others=403), "post": only({"platform_admin"}, others=403)},
    ),
    Row("organisations:authority", "authority", {"get": RUNS_AUTHORITY}),
    Row("organisations:import", "authority", {"get": RUNS_AUTHORITY, "post": RUNS_AUTHORITY}),
    Row("organisations:import-preview", "settings_import", {"get": UPLOADER, "post": UPLOADER}),
    Row(
        "organisations:locality-create",
        "authority",
        {"get": RUNS_AUTHORITY, "post": RUNS_AUTHORITY},
    ),
    Row("organisations:trust-create", "authority", {"get": RUNS_AUTHORITY, "post": RUNS_AUTHORITY}),
    Row(
        "organisations:setting-create",
        "authority",
        {"get": RUNS_AUTHORITY, "post": RUNS_AUTHORITY},
    ),
    Row("organisations:setting-edit", "setting", {"get": RUNS_AUTHORITY, "post": RUNS_AUTHORITY}),
    Row("organisations:classes", "setting", {"get": RUNS_CLASSES}),
    Row("organisations:year-group-create", "setting", {"post": RUNS_CLASSES}),
    Row("organisations:class-create", "setting", {"post": RUNS_CLASSES}),
    Row("organisations:move-children", "setting", {"get": RUNS_CLASSES, "post": RUNS_CLASSES}),
]
CHILD_KEYS = {"child", "child_pk", "profile", "profile_step", "profile_domain"}


def _names(patterns, prefix=""):  # type: ignore[no-untyped-def]
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            yield from _names(p.url_patterns, ns)
        elif isinstance(p, URLPattern):
            yield f"{prefix}{p.name}" if p.name else f"{prefix}<unnamed {p.pattern}>"


def test_every_url_is_in_the_matrix():
    names = set(_names(get_resolver().url_patterns))
    rows = {r.name for r in ROWS}
    assert names - rows == set(), "add these URLs to the access matrix"
    assert rows - names == set(), "the matrix names URLs that no longer exist"


def _profile(world, child_attr: str) -> int:
    from vsend.profiles.services import DraftExists, start_profile

    child = getattr(world, child_attr)
    try:
        return start_profile(
            actor=Actor(user=world.users["platform_admin"]),
            child=child,
            assessment_date=date(2026, 11, 2),
        ).pk
    except DraftExists as exc:
        return exc.draft.pk


def _colleague(world):
    """Someone in authority A who is none of the personas (an administrator may reset their
    authenticator app without changing how the personas sign in)."""
    from vsend.accounts.models import Membership, User
    from vsend.accounts.roles import Role

    user, made = User.objects.get_or_create(
        email="colleague@example.org", defaults={"full_name": "Colleague"}
    )
    if made:
        Membership.objects.create(
            user=user, role=Role.SENDCO, authority=world.authority, setting=world.setting
        )
    return user


def _url(row: Row, world, child_attr: str = "child") -> str:
    key, name = row.key, row.name
    if key in CHILD_KEYS:
        child = getattr(world, child_attr)
        _profile(world, child_attr)  # every child has a draft, so profile URLs exist for all
        if key == "child":
            return reverse(name, kwargs={"pk": child.pk})
        if key == "child_pk":
            return reverse(name, kwargs={"child_pk": child.pk})
        pk = _profile(world, child_attr)
        if key == "profile_step":
            return reverse(name, kwargs={"pk": pk, "step": "needs"})
        if key == "profile_domain":
            return reverse(name, kwargs={"pk": pk, "domain": "semh"})
        return reverse(name, kwargs={"pk": pk})
    if key == "setting":
        return reverse(name, kwargs={"pk": world.setting.pk})
    if key and key.startswith("setting_export:"):
        return reverse(name, kwargs={"pk": world.setting.pk, "fmt": key.split(":")[1]})
    if key and key.startswith("export:"):
        return reverse(name, kwargs={"fmt": key.split(":")[1]})
    if key == "export":
        from vsend.exports.access import request_profile_pdf

        pk = _profile(world, "child")
        export = request_profile_pdf(Actor(user=world.users["sendco"]), pk)
        return reverse(name, kwargs={"pk": export.pk})
    if key == "authority":
        return reverse(name, kwargs={"pk": world.authority.pk})
    if key in ("membership", "account"):
        # A teacher who is no persona, so suspending them changes nobody's later requests.
        user = _extra_teacher(world)
        pk = user.memberships.get().pk if key == "membership" else user.pk
        return reverse(name, kwargs={"pk": pk})
    if key in ("invitation", "invitation_link"):
        raw = ApiToken.generate_key()[6:]
        invitation = Invitation.objects.create(
            email="new.governor@example.org",
            full_name="New Governor",
            role="governor",
            authority=world.authority,
            setting=world.setting,
            token_hash=hash_token(raw),
            expires_at=timezone.now() + timedelta(days=7),
        )
        if key == "invitation_link":
            return reverse(name, kwargs={"token": raw})
        return reverse(name, kwargs={"pk": invitation.pk})
    if key == "reset_link":
        return reverse(name, kwargs={"uidb64": "MQ", "token": "forged-token"})
    if key == "person":
        return reverse(name, kwargs={"pk": _colleague(world).pk})
    if key == "settings_import":
        from pathlib import Path

        from vsend.organisations.imports import start_import

        imp = start_import(
            user=world.users["la_admin"],
            authority=world.authority,
            locality=world.authority.localities.first(),
            file_name="extract.csv",
            data=(Path(__file__).parent / "data" / "gias_extract_925.csv").read_bytes(),
        )
        return reverse(name, kwargs={"pk": world.authority.pk, "import_pk": imp.pk})
    if key == "token":
        create_api_token(actor=SYSTEM, user=world.users["sendco"], name="t")
        return reverse(name, kwargs={"pk": ApiToken.objects.get(user=world.users["sendco"]).pk})
    return reverse(name)


def _extra_teacher(world) -> Any:
    from vsend.accounts.models import Membership, User

    user = User.objects.create_user("extra.teacher@example.org", "x" * 20, full_name="Extra")
    m = Membership.objects.create(
        user=user, role="teacher", authority=world.authority, setting=world.setting
    )
    m.classes.set([world.class_3y])
    return user


def _expected(row: Row, persona: str, method: str, child: str = "child") -> int:
    if method not in row.methods:
        return 405
    expected = row.methods[method]
    if isinstance(expected, AboutChild):
        return expected.expect(persona, child)
    return expected[persona]


def _send(client: Client, method: str, url: str, api: bool) -> Any:
    if api and method in ("put", "patch", "post"):
        return getattr(client, method)(url, data={}, content_type="application/json")
    return getattr(client, method)(url)


def _anonymous(row: Row, method: str, response: Any) -> str | None:
    if row.public:
        expected = row.public.get(method, 405)
        return None if response.status_code == expected else f"{response.status_code}"
    if row.api:
        if response.status_code != 401 or not response.headers.get(
            "WWW-Authenticate", ""
        ).startswith("Bearer"):
            return f"{response.status_code} (expected 401 with a Bearer challenge)"
        return None
    if response.status_code != 302 or not response.url.startswith(reverse("accounts:sign-in")):
        return f"{response.status_code} (expected the sign-in page)"
    return None


@pytest.fixture(autouse=True)
def _documents_without_typesetting(monkeypatch):
    """Who may fetch a PDF is what is tested here; typesetting it is tested elsewhere."""

    def pdf(*args: Any, **kwargs: Any) -> bytes:
        return b"%PDF-1.7 stand-in"

    monkeypatch.setattr("vsend.exports.builders.profile_pdf", pdf)
    monkeypatch.setattr("vsend.exports.builders.governors_pdf", pdf)


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.id)
def test_access(row, world, as_user: Callable[[str], Client]):
    """Every persona, every method, one URL: the mismatches listed together."""
    url = _url(row, world)
    wrong = []
    for persona in PERSONAS:
        client = Client() if persona == "anonymous" else as_user(persona)
        for method in METHODS:
            if row.name == "accounts:sign-out" and persona != "anonymous":
                client = as_user(persona)  # signed out by the last request
            response = _send(client, method, url, row.api)
            if persona == "anonymous":
                problem = _anonymous(row, method, response)
                if problem:
                    wrong.append((persona, method.upper(), problem))
                continue
            expected = _expected(row, persona, method)
            if response.status_code != expected:
                wrong.append((persona, method.upper(), f"{response.status_code} not {expected}"))
    assert wrong == [], f"{row.id} {url}"


CHILD_ROWS = [r for r in ROWS if r.key in CHILD_KEYS]


@pytest.mark.parametrize("row", CHILD_ROWS, ids=lambda r: r.id)
def test_each_child_is_reached_only_within_scope(row, world, as_user):
    """A teacher's other class, another family, another setting, another authority: 404."""
    wrong = []
    clients = {p: as_user(p) for p in SIGNED_IN}
    method = "get" if "get" in row.methods else next(iter(row.methods))
    for child in CHILDREN:
        if child == "child":
            continue  # tried by test_access
        url = _url(row, world, child)
        for persona in SIGNED_IN:
            response = _send(clients[persona], method, url, row.api)
            expected = _expected(row, persona, method, child)
            if response.status_code != expected:
                wrong.append((persona, child, f"{response.status_code} not {expected}"))
    assert wrong == [], row.id


def test_the_second_child_cases_the_matrix_relies_on(world):
    """The world gives each scope a child it must not reach."""
    assert world.classmate.enrolments.get().school_class == world.class_3y  # teacher: 3X only
    assert not world.classmate.family_links.exists()  # the parent's: only child
    assert world.other_setting_child.enrolments.get().setting == world.other_setting
    assert world.far_child.authority == world.other_authority
    assert set(REACH) == set(SIGNED_IN)
