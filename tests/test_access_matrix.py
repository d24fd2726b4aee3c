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
from pathlib import Path
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
FAMILY_WINDOW = {"parent", "young_person"}
# The authority's own transfer path: its administrators and the child's caseworker.
TRANSFERS = {"platform_admin", "la_admin", "caseworker", "other_authority"}
# A copy of the portable record: staff who plan with it and the family (not a class teacher).
EXPORTS_RECORD = SEES_CHILD - {"teacher"}
# The statutory pathway: a request is made by the child's setting, family or the young person;
# the case is seen by them and the caseworker (never a teacher); the caseworker records it.
REQUESTS = {"sendco", "parent", "young_person", "other_setting"}
SEES_CASE = SEES_CHILD - {"teacher"}
MANAGES_CASE = {"platform_admin", "la_admin", "caseworker", "other_authority"}
# "All about me": the young person themselves, or an adult sitting with the child (staff in
# their setting, a parent at home); never an administrator. A sent version is read by everyone
# who sees the child's profile.
GIVES_VIEWS = {"sendco", "teacher", "parent", "young_person", "other_setting"}
# The setting prepares an annual review with the caseworker; the family (or the setting that
# asked, and the matrix's request is the family's) withdraws a request.
PREPARES_REVIEW = MANAGES_CASE | {"sendco", "other_setting"}
WITHDRAWS = MANAGES_CASE | {"parent", "young_person"}
# Transition plans: seen by the child's caseworker, SENDCo and family; run by staff who plan.
SEES_TRANSITION = SEES_CHILD - {"teacher"}
MANAGES_TRANSITION = SEES_TRANSITION - {"parent", "young_person"}


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
# Provision at setting A1: seen by those who run it and by its teachers (their classes' children
# only); run by its SENDCo and authority A's administrators.
PROV_MANAGE = {
    **only({"platform_admin", "la_admin", "sendco"}, others=403),
    "other_setting": 404,
    "other_authority": 404,
}
PROV_VIEW = {**PROV_MANAGE, "teacher": 200, "caseworker": 404}
# The group's POST records a missed session: a teacher sees the group but may not change it.
PROV_GROUP_POST = {**PROV_VIEW, "teacher": 403}
SEES_PROVISION = SEES_CHILD - {"parent", "young_person"}
# Only the uploader reaches their upload; confirming it loads it (the result page, 200).
UPLOADER = {**RUNS_AUTHORITY, "platform_admin": 404}
REGISTERS_INDEX = {
    **only({"platform_admin", "la_admin"}, others=403),
    "sendco": 302,
    "other_setting": 302,
    "other_authority": 302,
}
REGISTER_UPLOADER = {**RUNS_CLASSES, "platform_admin": 404, "la_admin": 404}


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
    # An empty choice comes back on the account page with its error (200).
    Row("accounts:language", None, {"post": ALL_OK}),
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
    # Empty forms come back with their errors (200).
    Row(
        "children:leaving",
        "child",
        {"get": AboutChild(CHANGES_CHILD), "post": AboutChild(CHANGES_CHILD)},
    ),
    Row(
        "children:transfer", "child", {"get": AboutChild(TRANSFERS), "post": AboutChild(TRANSFERS)}
    ),
    Row("children:join", None, {"get": CAN_ADD, "post": CAN_ADD}),
    # The page after a SENDCo found a joining child: theirs only.
    Row(
        "children:joined",
        "transfer",
        {"get": {**only({"sendco"}, others=403), **{p: 404 for p in CHANGES_CHILD - {"sendco"}}}},
    ),
    Row("records:export", "child", {"get": AboutChild(EXPORTS_RECORD)}),
    Row("records:import", None, {"get": CAN_ADD, "post": CAN_ADD}),
    Row("api:child-record", "child", {"get": AboutChild(EXPORTS_RECORD)}, api=True),
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
        # An empty home-confidence step comes back with its errors.
        {"get": AboutChild(EDITS_PROFILE), "post": AboutChild(EDITS_PROFILE)},
    ),
    # The draft is incomplete: the confirmation page says what is left, and finalising is
    # refused (409) for those allowed to try.
    Row(
        "profiles:finalise",
        "profile",
        {"get": AboutChild(EDITS_PROFILE), "post": AboutChild(EDITS_PROFILE, 409)},
    ),
    Row("profiles:tasks", "profile", {"get": AboutChild(EDITS_PROFILE)}),
    Row("profiles:introduction", "profile", {"get": AboutChild(EDITS_PROFILE)}),
    # An empty answer comes back with its error.
    Row(
        "profiles:need",
        "profile_domain",
        {"get": AboutChild(EDITS_PROFILE), "post": AboutChild(EDITS_PROFILE)},
    ),
    # One area of readiness or of the plan: an empty readiness answer comes back with its
    # errors; an empty plan area ("no outcome this time") without the page's version comes back
    # as saved by someone else.
    Row(
        "profiles:readiness",
        "profile_domain",
        {"get": AboutChild(EDITS_PROFILE), "post": AboutChild(EDITS_PROFILE)},
    ),
    Row(
        "profiles:plan",
        "profile_domain",
        {"get": AboutChild(EDITS_PROFILE), "post": AboutChild(EDITS_PROFILE)},
    ),
    # A review date with no outcome anywhere in the plan comes back with its error.
    Row(
        "profiles:review-date",
        "profile",
        {"get": AboutChild(EDITS_PROFILE), "post": AboutChild(EDITS_PROFILE)},
    ),
    # Asking the family goes back to the task list.
    Row("profiles:ask-family", "profile", {"post": AboutChild(EDITS_PROFILE, 302)}),
    # Reviewing a draft just returns to its summary.
    Row("profiles:review", "profile", {"post": AboutChild(EDITS_PROFILE, 302)}),
    Row("profiles:family-start", "profile", {"get": AboutChild(FAMILY)}),
    # The family's window: the child's parents and the young person; staff use the record.
    Row("family:home", "child", {"get": AboutChild(FAMILY_WINDOW)}),
    Row("family:access", "child", {"get": AboutChild(FAMILY_WINDOW)}),
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
    Row("voice:start", "child_pk", {"get": AboutChild(GIVES_VIEWS)}),
    # Empty answers come back with their errors (200); sending with nothing answered too.
    Row(
        "voice:question",
        "voice_question",
        {"get": AboutChild(GIVES_VIEWS), "post": AboutChild(GIVES_VIEWS)},
    ),
    Row(
        "voice:area",
        "voice_area",
        {"get": AboutChild(GIVES_VIEWS), "post": AboutChild(GIVES_VIEWS)},
    ),
    Row(
        "voice:check", "child_pk", {"get": AboutChild(GIVES_VIEWS), "post": AboutChild(GIVES_VIEWS)}
    ),
    Row("voice:version", "voice_version", {"get": AboutChild(SEES_PROFILE)}),
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
    Row(
        "insights:sharing",
        "authority",
        {"post": {**RUNS_AUTHORITY, "platform_admin": 302, "la_admin": 302}},
    ),
    # Platform administrators, and viewers of a sharing authority's dashboard (none shares here).
    Row("insights:compare", None, {"get": only({"platform_admin"}, others=403)}),
    Row("api:setting-insight", "setting", {"get": SETTING_INSIGHT}, api=True),
    Row("api:authority-insight", None, {"get": AUTHORITY_INSIGHT}, api=True),
    Row(
        "audit-log",
        None,
        {"get": only({"platform_admin", "la_admin", "other_authority"}, others=403)},
    ),
    Row("api:me", None, {"get": ALL_OK}, api=True),
    Row("api:schema", None, {"get": ALL_OK}, api=True),
    # Frameworks are reference text (no child data): every signed-in caller may read them.
    Row("api:frameworks", None, {"get": ALL_OK}, api=True),
    Row("api:framework", "framework", {"get": ALL_OK}, api=True),
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
    # The authority's choice of staff names in families' access logs (an empty answer: 200).
    Row("family:staff-names", "authority", {"get": RUNS_AUTHORITY, "post": RUNS_AUTHORITY}),
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
    # Provision. Empty forms come back with their errors (200).
    Row("provision:setting", "setting", {"get": PROV_VIEW}),
    Row("provision:provision-add", "setting", {"get": PROV_MANAGE, "post": PROV_MANAGE}),
    Row("provision:library", "setting", {"get": PROV_MANAGE, "post": PROV_MANAGE}),
    Row("provision:staff", "setting", {"get": PROV_MANAGE, "post": PROV_MANAGE}),
    Row("provision:budget", "setting", {"get": PROV_MANAGE, "post": PROV_MANAGE}),
    Row("provision:group-add", "setting", {"get": PROV_MANAGE, "post": PROV_MANAGE}),
    Row("provision:setting-map", "setting", {"get": PROV_MANAGE}),
    Row("provision:setting-map-xlsx", "setting", {"get": PROV_MANAGE}),
    Row("provision:achieves", "setting", {"get": PROV_MANAGE}),
    Row("provision:provision-edit", "provision", {"get": PROV_MANAGE, "post": PROV_MANAGE}),
    Row("provision:staff-edit", "staff_role", {"get": PROV_MANAGE, "post": PROV_MANAGE}),
    Row("provision:group", "prov_group", {"get": PROV_VIEW, "post": PROV_GROUP_POST}),
    Row("provision:group-add-child", "prov_group", {"post": PROV_GROUP_POST}),
    Row(
        "provision:from-action",
        "plan_action",
        {"get": AboutChild(CHANGES_CHILD), "post": AboutChild(CHANGES_CHILD)},
    ),
    Row("provision:child-map", "child", {"get": AboutChild(SEES_PROVISION)}),
    Row("provision:child-map-xlsx", "child", {"get": AboutChild(SEES_PROVISION)}),
    Row("provision:child-map-pdf", "child", {"get": AboutChild(SEES_PROVISION, ok=302)}),
    Row("provision:authority", None, {"get": AUTHORITY_INSIGHT}),
    Row("provision:authority-xlsx", None, {"get": AUTHORITY_INSIGHT}),
    # Special-school place planning: aggregates for whoever sees the authority's dashboards (LA
    # officers through disclosure control); designations, places and home areas are run by the
    # authority's administrators (empty forms come back with their errors); a child's placement
    # facts by those who manage their statutory case.
    Row("places:authority", None, {"get": AUTHORITY_INSIGHT}),
    Row("places:authority-csv", None, {"get": AUTHORITY_INSIGHT}),
    Row("places:authority-xlsx", None, {"get": AUTHORITY_INSIGHT}),
    Row("places:schools", "authority", {"get": RUNS_AUTHORITY}),
    Row("places:areas", "authority", {"get": RUNS_AUTHORITY, "post": RUNS_AUTHORITY}),
    Row("places:designation", "setting", {"get": RUNS_AUTHORITY, "post": RUNS_AUTHORITY}),
    Row(
        "places:placement",
        "child",
        {"get": AboutChild(MANAGES_CASE), "post": AboutChild(MANAGES_CASE)},
    ),
    Row("api:provision-catalogue", "setting", {"get": PROV_MANAGE}, api=True),
    Row("api:provision-setting-map", "setting", {"get": PROV_MANAGE}, api=True),
    Row("api:provision-achieves", "setting", {"get": PROV_MANAGE}, api=True),
    Row("api:provision-authority", None, {"get": AUTHORITY_INSIGHT}, api=True),
    Row("api:child-provision", "child", {"get": AboutChild(SEES_PROVISION)}, api=True),
    # An empty request comes back with its errors (200).
    Row(
        "statutory:request", "child_pk", {"get": AboutChild(REQUESTS), "post": AboutChild(REQUESTS)}
    ),
    Row("statutory:case", "case", {"get": AboutChild(SEES_CASE)}),
    Row("api:child-cases", "child", {"get": AboutChild(SEES_CASE)}, api=True),
    Row("api:case", "case", {"get": AboutChild(SEES_CASE)}, api=True),
    Row("api:child-plans", "child", {"get": AboutChild(SEES_CASE)}, api=True),
    Row("api:plan", "plan", {"get": AboutChild(SEES_CASE)}, api=True),
    Row("statutory:pack", "case", {"get": AboutChild(SEES_CASE)}),
    Row("api:child-transitions", "child", {"get": AboutChild(SEES_TRANSITION)}, api=True),
    Row("api:transition", "transition", {"get": AboutChild(SEES_TRANSITION)}, api=True),
    # Suppressed for LA officers, exact for the authority's administrators (test_api_gaps).
    Row("api:place-planning", None, {"get": AUTHORITY_INSIGHT}, api=True),
    Row(
        "statutory:request-received",
        "child_pk",
        {"get": AboutChild(MANAGES_CASE), "post": AboutChild(MANAGES_CASE)},
    ),
    Row(
        "statutory:withdraw",
        "case",
        {"get": AboutChild(WITHDRAWS), "post": AboutChild(WITHDRAWS)},
    ),
    Row(
        "statutory:adulthood",
        "review",
        {"get": AboutChild(PREPARES_REVIEW), "post": AboutChild(PREPARES_REVIEW)},
    ),
    Row(
        "statutory:plan-outcome",
        "plan",
        {"get": AboutChild(MANAGES_CASE), "post": AboutChild(MANAGES_CASE)},
    ),
    Row(
        "statutory:plan-outcome-edit",
        "plan_outcome",
        {"get": AboutChild(MANAGES_CASE), "post": AboutChild(MANAGES_CASE)},
    ),
    # Confirm, then remove (302 back to the plan).
    Row(
        "statutory:plan-outcome-remove",
        "plan_outcome",
        {"get": AboutChild(MANAGES_CASE), "post": AboutChild(MANAGES_CASE, ok=302)},
    ),
    Row("statutory:pack-pdf", "case", {"get": AboutChild(SEES_CASE)}),
    Row(
        "statutory:record-step",
        "case_step",
        {"get": AboutChild(MANAGES_CASE), "post": AboutChild(MANAGES_CASE)},
    ),
    Row(
        "statutory:exception",
        "case",
        {"get": AboutChild(MANAGES_CASE), "post": AboutChild(MANAGES_CASE)},
    ),
    Row(
        "statutory:exception-end",
        "case_exception",
        {"get": AboutChild(MANAGES_CASE), "post": AboutChild(MANAGES_CASE)},
    ),
    Row(
        "statutory:letter-add",
        "case",
        {"get": AboutChild(MANAGES_CASE), "post": AboutChild(MANAGES_CASE)},
    ),
    Row("statutory:letter", "case_letter", {"get": AboutChild(SEES_CASE)}),
    Row(
        "statutory:appeal",
        "case",
        {"get": AboutChild(MANAGES_CASE), "post": AboutChild(MANAGES_CASE)},
    ),
    Row(
        "statutory:issue-plan",
        "case",
        {"get": AboutChild(MANAGES_CASE), "post": AboutChild(MANAGES_CASE)},
    ),
    Row("statutory:plan", "plan", {"get": AboutChild(SEES_CASE)}),
    Row(
        "statutory:plan-edit",
        "plan",
        {"get": AboutChild(MANAGES_CASE), "post": AboutChild(MANAGES_CASE)},
    ),
    Row(
        "statutory:plan-cease",
        "plan",
        {"get": AboutChild(MANAGES_CASE), "post": AboutChild(MANAGES_CASE)},
    ),
    Row("statutory:worklist", None, {"get": only(MANAGES_CASE, others=403)}),
    Row("statutory:timeliness", None, {"get": AUTHORITY_INSIGHT}),
    # The authority's administrators (authority B's makes B's return).
    Row("statutory:sen2", None, {"get": only(PEOPLE_ADMINS | {"other_authority"}, others=403)}),
    Row(
        "statutory:sen2-xml",
        "sen2_year",
        {"get": only(PEOPLE_ADMINS | {"other_authority"}, others=403)},
    ),
    Row(
        "transitions:start",
        "child_pk",
        {"get": AboutChild(MANAGES_TRANSITION), "post": AboutChild(MANAGES_TRANSITION)},
    ),
    Row("transitions:plan", "transition", {"get": AboutChild(SEES_TRANSITION)}),
    Row(
        "transitions:step",
        "transition_step",
        {"get": AboutChild(MANAGES_TRANSITION), "post": AboutChild(MANAGES_TRANSITION)},
    ),
    Row(
        "transitions:review",
        "transition",
        {"get": AboutChild(MANAGES_TRANSITION), "post": AboutChild(MANAGES_TRANSITION)},
    ),
    Row(
        "transitions:end",
        "transition",
        {"get": AboutChild(MANAGES_TRANSITION), "post": AboutChild(MANAGES_TRANSITION)},
    ),
    Row(
        "transitions:receiving",
        "transition",
        {"get": AboutChild(MANAGES_TRANSITION), "post": AboutChild(MANAGES_TRANSITION)},
    ),
    Row("transitions:list", None, {"get": only(MANAGES_TRANSITION, others=403)}),
    Row("transitions:phase", None, {"get": only(MANAGES_TRANSITION, others=403)}),
    # The sending side records a child's profile and plan as sent (then back to the list).
    Row("transitions:shared", "child_pk", {"post": AboutChild(MANAGES_TRANSITION, ok=302)}),
    Row("transitions:phase-export", "export:csv", {"get": only(MANAGES_TRANSITION, others=403)}),
    Row("transitions:phase-export", "export:xlsx", {"get": only(MANAGES_TRANSITION, others=403)}),
    # Counts only: suppressed for LA officers (tests/test_transitions.py).
    Row("transitions:authority", None, {"get": AUTHORITY_INSIGHT}),
    Row("transitions:authority-export", "export:csv", {"get": AUTHORITY_INSIGHT}),
    Row("transitions:authority-export", "export:xlsx", {"get": AUTHORITY_INSIGHT}),
    # Registers in and out: a setting's SENDCo and its authority's administrators. The index
    # sends someone with one setting straight to it. An upload is its uploader's only; the
    # preview's confirmation loads it (302 to the result).
    Row("exchange:index", None, {"get": REGISTERS_INDEX}),
    Row("exchange:setting", "setting", {"get": RUNS_CLASSES, "post": RUNS_CLASSES}),
    Row("exchange:export", "setting_export:csv", {"get": RUNS_CLASSES}),
    Row("exchange:export", "setting_export:xlsx", {"get": RUNS_CLASSES}),
    Row("exchange:ctf-export", "setting", {"get": RUNS_CLASSES, "post": RUNS_CLASSES}),
    Row(
        "exchange:mapping", "register_import", {"get": REGISTER_UPLOADER, "post": REGISTER_UPLOADER}
    ),
    Row(
        "exchange:preview",
        "register_import",
        {"get": REGISTER_UPLOADER, "post": {**REGISTER_UPLOADER, "sendco": 302}},
    ),
    Row("exchange:progress", "register_import", {"get": {**REGISTER_UPLOADER, "sendco": 302}}),
]
STATUTORY_KEYS = {
    "case",
    "case_step",
    "case_exception",
    "case_letter",
    "plan",
    "plan_outcome",
    "review",
}
TRANSITION_KEYS = {"transition", "transition_step"}
CHILD_KEYS = (
    {
        "child",
        "child_pk",
        "profile",
        "profile_step",
        "profile_domain",
        "plan_action",
        "voice_question",
        "voice_area",
        "voice_version",
    }
    | STATUTORY_KEYS
    | TRANSITION_KEYS
)


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


def _about_me(child) -> int:
    """A sent "All about me" for the child, made by the system as a young person would."""
    from vsend.voice.models import AboutMe, Status

    page, _ = AboutMe.objects.get_or_create(
        child=child,
        number=1,
        defaults={
            "status": Status.SUBMITTED,
            "answers": {"likes": {"symbols": ["music"], "words": "", "skip": False}},
            "framework_id": "vsend-open",
            "framework_version": "1.1",
            "started_by": _colleague_user(),
            "submitted_at": timezone.now(),
        },
    )
    return page.number


def _colleague_user():
    from vsend.accounts.models import User

    return User.objects.get_or_create(email="system.voice@example.org")[0]


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


def _statutory_url(name: str, key: str, world, child_attr: str) -> str:
    """A case (with an exception, a letter, or an issued plan) about the child."""
    from vsend.statutory import services
    from vsend.statutory.models import Case

    child = getattr(world, child_attr)
    actor = Actor(user=world.users["platform_admin"])
    case = Case.objects.filter(child=child, kind="assessment").first()
    if case is None:
        case = services.request_assessment(
            actor=actor, child=child, requester="parent", reasons="Reading is very hard"
        )
    if key == "case_step":
        return reverse(name, kwargs={"pk": case.pk, "step": "decision_to_assess"})
    if key == "case_exception":
        exc = services.record_exception(
            actor=actor,
            case=case,
            kind="personal_circumstances",
            starts_on=case.started_on,
            note="In hospital",
        )
        return reverse(name, kwargs={"pk": case.pk, "exception_pk": exc.pk})
    if key == "case_letter":
        doc = services.add_document(
            actor=actor, case=case, kind="other", filename="l.pdf", data=b"%PDF-1.7 letter"
        )
        return reverse(name, kwargs={"pk": case.pk, "doc_pk": doc.pk})
    if key in ("plan", "review", "plan_outcome"):
        plan = services.issue_final_plan(
            actor=actor,
            case=case,
            details=services.PlanDetails(
                issued_on=case.started_on, start_date=case.started_on, sen_setting="OTH"
            ),
        )
        if key == "review":
            return reverse(name, kwargs={"pk": plan.reviews.get().pk})
        if key == "plan_outcome":
            row = services.add_plan_outcome(
                actor=actor, plan=plan, areas=["semh"], outcome="Joins in at break time"
            )
            return reverse(name, kwargs={"pk": plan.pk, "outcome_pk": row.pk})
        return reverse(name, kwargs={"pk": plan.pk})
    return reverse(name, kwargs={"pk": case.pk})


def _transition_url(name: str, key: str, world, child_attr: str) -> str:
    """A special-to-mainstream plan for the child, sent from the setting they are on roll at."""
    from vsend.children.models import Enrolment
    from vsend.transitions import services

    child = getattr(world, child_attr)
    setting = Enrolment.objects.current().filter(child=child).first().setting
    plan = services.start_plan(
        actor=Actor(user=world.users["platform_admin"]),
        child=child,
        template="special-to-mainstream",
        sending_setting=setting,
        receiving_setting=None,
        started_on=timezone.localdate(),
    )
    if key == "transition_step":
        return reverse(name, kwargs={"pk": plan.pk, "step": "family_views"})
    return reverse(name, kwargs={"pk": plan.pk})


def _url(row: Row, world, child_attr: str = "child") -> str:
    key, name = row.key, row.name
    if key in TRANSITION_KEYS:
        return _transition_url(name, key, world, child_attr)
    if key in STATUTORY_KEYS:
        return _statutory_url(name, key, world, child_attr)
    if key == "framework":
        from vsend.frameworks import registry

        fw = registry.current("5_to_25")
        kwargs = {"framework_id": fw.id, "version": fw.version, "age_band": fw.age_band}
        return reverse(name, kwargs=kwargs)
    if key == "sen2_year":
        today = timezone.localdate()
        return reverse(name, kwargs={"year": today.year + (1 if today.month > 1 else 0)})
    if key in CHILD_KEYS:
        child = getattr(world, child_attr)
        _profile(world, child_attr)  # every child has a draft, so profile URLs exist for all
        if key == "child":
            return reverse(name, kwargs={"pk": child.pk})
        if key == "child_pk":
            return reverse(name, kwargs={"child_pk": child.pk})
        if key == "voice_question":
            return reverse(name, kwargs={"child_pk": child.pk, "question": "likes"})
        if key == "voice_area":
            return reverse(name, kwargs={"child_pk": child.pk, "domain": "semh"})
        if key == "voice_version":
            return reverse(name, kwargs={"child_pk": child.pk, "number": _about_me(child)})
        pk = _profile(world, child_attr)
        if key == "plan_action":
            from vsend.profiles.models import SupportAction

            action, _ = SupportAction.objects.get_or_create(
                profile_id=pk,
                domain="communication_interaction",
                what="Talk time in a small group",
                defaults={"who": "TA", "how_often": "Twice a week", "starts_on": date(2026, 11, 2)},
            )
            return reverse(name, kwargs={"pk": action.pk})
        if key == "profile_step":
            return reverse(name, kwargs={"pk": pk, "step": "home"})
        if key == "profile_domain":
            return reverse(name, kwargs={"pk": pk, "domain": "semh"})
        return reverse(name, kwargs={"pk": pk})
    if key == "setting":
        return reverse(name, kwargs={"pk": world.setting.pk})
    if key in ("prov_group", "provision", "staff_role"):
        from tests.provision_helpers import world_group

        group = world_group(world)
        pk = {
            "prov_group": group.pk,
            "provision": group.provision_id,
            "staff_role": group.provision.staff_role_id,
        }[key]
        return reverse(name, kwargs={"pk": pk})
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
    if key == "transfer":
        from vsend.children.models import Transfer

        transfer = Transfer.objects.create(
            child=world.child,
            to_setting=world.setting,
            starts_on=date(2025, 9, 1),
            route=Transfer.Route.CLAIM,
            made_by=world.users["sendco"],
        )
        return reverse(name, kwargs={"pk": transfer.pk})
    if key == "register_import":
        return _register_import_url(name, world)
    if key == "token":
        create_api_token(actor=SYSTEM, user=world.users["sendco"], name="t")
        return reverse(name, kwargs={"pk": ApiToken.objects.get(user=world.users["sendco"]).pk})
    return reverse(name)


def _register_import_url(name: str, world) -> str:
    from vsend.exchange.services import confirm_mapping, start_import

    imp = start_import(
        user=world.users["sendco"],
        setting=world.setting,
        file_name="register.csv",
        data=(Path(__file__).parent / "data" / "register_sims.csv").read_bytes(),
    )
    confirm_mapping(actor=Actor(user=world.users["sendco"]), imp=imp, mapping=imp.mapping)
    return reverse(name, kwargs={"pk": world.setting.pk, "import_pk": imp.pk})


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
    monkeypatch.setattr("vsend.provision.exports.child_map_pdf", pdf)


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
