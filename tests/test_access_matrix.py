"""Every URL, pages and API, for every persona.

anonymous -> the sign-in page (pages) or 401 (API); outside the user's scope -> 404;
inside it without the permission -> 403. A URL added without a row here fails
test_every_url_is_in_the_matrix.
"""

from datetime import date

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from vsend.accounts.models import ApiToken
from vsend.accounts.services import create_api_token
from vsend.audit.services import SYSTEM

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
    "other_setting",
    "other_authority",
]
SIGNED_IN = PERSONAS[1:]
ALL_OK = {p: 200 for p in SIGNED_IN}


def only(ok: set[str], *, others: int, ok_status: int = 200) -> dict[str, int]:
    return {p: ok_status if p in ok else others for p in SIGNED_IN}


def child_scoped(can: set[str], in_scope_without: set[str]) -> dict[str, int]:
    """A URL about child_a1: allowed, refused (403) within scope, else 404."""
    return {p: 200 if p in can else 403 if p in in_scope_without else 404 for p in SIGNED_IN}


SEES_CHILD = {"platform_admin", "la_admin", "caseworker", "sendco", "teacher", "parent"}
CHANGES_CHILD = {"platform_admin", "la_admin", "sendco"}
SEES_ACCESS = {"platform_admin", "la_admin", "caseworker", "sendco"}
REACHES_CHILD = SEES_CHILD  # an LA officer sees figures, never records: 404, not 403
CAN_ADD = {"platform_admin", "la_admin", "sendco", "other_setting", "other_authority"}
SEES_PROFILE = SEES_CHILD
EDITS_PROFILE = CHANGES_CHILD
FAMILY = {"parent"}
SETTING_INSIGHT = {
    p: 200
    if p in {"platform_admin", "la_admin", "la_officer", "sendco", "teacher", "governor"}
    else 404
    for p in SIGNED_IN
}
AUTHORITY_INSIGHT = only(
    {"platform_admin", "la_admin", "la_officer", "other_authority"}, others=403
)
PROFILE_VIEW = child_scoped(SEES_PROFILE, REACHES_CHILD - SEES_PROFILE)
PROFILE_EDIT = child_scoped(EDITS_PROFILE, REACHES_CHILD - EDITS_PROFILE)
PROFILE_FAMILY = child_scoped(FAMILY, REACHES_CHILD - FAMILY)

# name: (method, kwargs-key, expected status per persona, is_api)
MATRIX = {
    "home": ("get", None, ALL_OK, False),
    "healthz": ("get", None, ALL_OK | {"anonymous": 200}, False),
    "readyz": ("get", None, ALL_OK | {"anonymous": 200}, False),
    "accounts:sign-in": ("get", None, only(set(), others=302) | {"anonymous": 200}, False),
    "accounts:mfa-verify": ("get", None, ALL_OK, False),
    "accounts:sign-out": ("post", None, ALL_OK, False),
    "accounts:account": ("get", None, ALL_OK, False),
    "accounts:mfa-setup": ("get", None, ALL_OK, False),
    "accounts:token-create": ("get", None, ALL_OK, False),
    "accounts:token-revoke": ("post", "token", only({"sendco"}, others=404, ok_status=302), False),
    "children:list": ("get", None, only(set(SIGNED_IN) - {"la_officer"}, others=403), False),
    "children:create": ("get", None, only(CAN_ADD, others=403), False),
    "children:detail": (
        "get",
        "child",
        child_scoped(SEES_CHILD, REACHES_CHILD - SEES_CHILD),
        False,
    ),
    "children:edit": (
        "get",
        "child",
        child_scoped(CHANGES_CHILD, REACHES_CHILD - CHANGES_CHILD),
        False,
    ),
    "children:access": (
        "get",
        "child",
        child_scoped(SEES_ACCESS, REACHES_CHILD - SEES_ACCESS),
        False,
    ),
    "profiles:start": ("get", "child_pk", PROFILE_EDIT, False),
    "profiles:summary": ("get", "profile", PROFILE_VIEW, False),
    "profiles:chart": ("get", "profile", PROFILE_VIEW, False),
    # The PDF is made by a job (run at once in tests), then the user is sent on to the file.
    "profiles:pdf": (
        "get",
        "profile",
        {p: 302 if v == 200 else v for p, v in PROFILE_VIEW.items()},
        False,
    ),
    # A made file belongs to the one who asked for it (the SENDCo): anyone else gets a 404.
    "exports:detail": ("get", "export", only({"sendco"}, others=404, ok_status=302), False),
    "exports:file": ("get", "export", only({"sendco"}, others=404), False),
    "profiles:step": ("get", "profile_step", PROFILE_EDIT, False),
    # The draft is incomplete, so finalising is refused (409) for those allowed to try.
    "profiles:finalise": (
        "post",
        "profile",
        {p: 409 if v == 200 else v for p, v in PROFILE_EDIT.items()},
        False,
    ),
    # Reviewing a draft just returns to its summary.
    "profiles:review": (
        "post",
        "profile",
        {p: 302 if v == 200 else v for p, v in PROFILE_EDIT.items()},
        False,
    ),
    "profiles:family-start": ("get", "profile", PROFILE_FAMILY, False),
    "profiles:family-question": ("get", "profile_domain", PROFILE_FAMILY, False),
    "profiles:family-check": ("get", "profile", PROFILE_FAMILY, False),
    "api:child-profiles": ("get", "child", PROFILE_VIEW, True),
    "api:profile": ("get", "profile", PROFILE_VIEW, True),
    "api:profile-chart": ("get", "profile", PROFILE_VIEW, True),
    "api:profile-pdf": (
        "get",
        "profile",
        {p: 303 if v == 200 else v for p, v in PROFILE_VIEW.items()},
        True,
    ),
    "api:export": ("get", "export", only({"sendco"}, others=404, ok_status=303), True),
    "api:export-file": ("get", "export", only({"sendco"}, others=404), True),
    "insights:setting": ("get", "setting", SETTING_INSIGHT, False),
    "insights:setting-export": ("get", "setting_csv", SETTING_INSIGHT, False),
    "insights:governors": (
        "get",
        "setting",
        {p: 302 if v == 200 else v for p, v in SETTING_INSIGHT.items()},
        False,
    ),
    "insights:authority": ("get", None, AUTHORITY_INSIGHT, False),
    "insights:authority-export": ("get", "csv", AUTHORITY_INSIGHT, False),
    "api:setting-insight": ("get", "setting", SETTING_INSIGHT, True),
    "api:authority-insight": ("get", None, AUTHORITY_INSIGHT, True),
    "audit-log": (
        "get",
        None,
        only({"platform_admin", "la_admin", "other_authority"}, others=403),
        False,
    ),
    "api:me": ("get", None, ALL_OK, True),
    "api:schema": ("get", None, ALL_OK, True),
    "api:children": ("get", None, only(set(SIGNED_IN) - {"la_officer"}, others=403), True),
    "api:child": ("get", "child", child_scoped(SEES_CHILD, REACHES_CHILD - SEES_CHILD), True),
}


def _names(patterns, prefix=""):  # type: ignore[no-untyped-def]
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            yield from _names(p.url_patterns, ns)
        elif isinstance(p, URLPattern):
            yield f"{prefix}{p.name}" if p.name else f"{prefix}<unnamed {p.pattern}>"


def test_every_url_is_in_the_matrix():
    names = set(_names(get_resolver().url_patterns))
    assert names - set(MATRIX) == set(), "add these URLs to the access matrix"
    assert set(MATRIX) - names == set(), "the matrix names URLs that no longer exist"


def _profile(world):
    from vsend.audit.services import Actor
    from vsend.profiles.services import start_profile

    return start_profile(
        actor=Actor(user=world.users["sendco"]),
        child=world.child,
        assessment_date=date(2026, 11, 2),
    )


def _url(name: str, key: str | None, world) -> str:
    if key == "child":
        return reverse(name, kwargs={"pk": world.child.pk})
    if key == "setting":
        return reverse(name, kwargs={"pk": world.setting.pk})
    if key == "setting_csv":
        return reverse(name, kwargs={"pk": world.setting.pk, "fmt": "csv"})
    if key == "csv":
        return reverse(name, kwargs={"fmt": "csv"})
    if key == "child_pk":
        return reverse(name, kwargs={"child_pk": world.child.pk})
    if key == "profile":
        return reverse(name, kwargs={"pk": _profile(world).pk})
    if key == "profile_step":
        return reverse(name, kwargs={"pk": _profile(world).pk, "step": "needs"})
    if key == "profile_domain":
        return reverse(name, kwargs={"pk": _profile(world).pk, "domain": "semh"})
    if key == "export":
        from vsend.audit.services import Actor
        from vsend.exports.access import request_profile_pdf

        export = request_profile_pdf(Actor(user=world.users["sendco"]), _profile(world).pk)
        return reverse(name, kwargs={"pk": export.pk})
    if key == "token":
        create_api_token(actor=SYSTEM, user=world.users["sendco"], name="t")
        return reverse(name, kwargs={"pk": ApiToken.objects.get(user=world.users["sendco"]).pk})
    return reverse(name)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access(name, persona, world, as_user):
    method, key, expected, is_api = MATRIX[name]
    url = _url(name, key, world)
    client = Client() if persona == "anonymous" else as_user(persona)
    response = getattr(client, method)(url)
    if persona == "anonymous":
        if name in ("healthz", "readyz", "accounts:sign-in"):
            assert response.status_code == 200
        elif is_api:
            assert response.status_code == 401
            assert response.headers["WWW-Authenticate"].startswith("Bearer")
        else:
            assert response.status_code == 302
            assert response.url.startswith(reverse("accounts:sign-in"))
        return
    assert response.status_code == expected[persona], (name, persona, response.status_code)
