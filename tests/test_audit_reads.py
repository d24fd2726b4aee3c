"""Every URL that returns child data writes one audit row per request naming the children shown.

Each URL the resolver knows is classified here: a URL added without a classification fails
test_every_url_is_classified. For a page that shows children by name, the children named in
the row must be exactly the fixture's children whose names the response shows.
"""

import json
from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from vsend.audit.models import Action, AuditEvent
from vsend.audit.services import Actor

# name: (persona, url key, what the row must name). "shown": exactly the children whose names
# are in the response; "child": the fixture's child_a1 (responses with no readable names).
CHILD_DATA = {
    "home": ("sendco", None, "shown"),
    "children:list": ("sendco", None, "shown"),
    "children:detail": ("sendco", "child", "shown"),
    "children:edit": ("sendco", "child", "shown"),
    "children:access": ("sendco", "child", "shown"),
    "children:leaving": ("sendco", "child", "shown"),
    "children:transfer": ("la_admin", "child", "shown"),
    "records:export": ("sendco", "child", "child"),
    "api:child-record": ("sendco", "child", "child"),
    "profiles:start": ("sendco", "child_pk", "shown"),
    "profiles:summary": ("sendco", "profile", "shown"),
    "profiles:step": ("sendco", "profile_step", "shown"),
    "profiles:chart": ("sendco", "profile", "child"),
    "profiles:pdf": ("sendco", "profile", "child"),
    "profiles:family-start": ("parent", "profile", "shown"),
    "profiles:tasks": ("sendco", "profile", "shown"),
    "profiles:introduction": ("sendco", "profile", "shown"),
    "profiles:need": ("sendco", "profile_domain", "shown"),
    "profiles:readiness": ("sendco", "profile_domain", "shown"),
    "profiles:plan": ("sendco", "profile_domain", "shown"),
    "profiles:review-date": ("sendco", "profile", "shown"),
    # The confirmation page (GET); finalising itself is a write, audited by the service.
    "profiles:finalise": ("sendco", "profile", "shown"),
    "profiles:family-question": ("parent", "profile_domain", "child"),
    "profiles:family-check": ("parent", "profile", "shown"),
    # The child's own pages, opened by an adult sitting with them (the check page and the
    # questions name the child by first name only).
    "voice:start": ("sendco", "child_pk", "shown"),
    "voice:question": ("sendco", "voice_question", "child"),
    "voice:area": ("sendco", "voice_area", "child"),
    "voice:check": ("sendco", "child_pk", "child"),
    "voice:version": ("sendco", "voice_version", "shown"),
    "api:children": ("sendco", None, "shown"),
    "api:child": ("sendco", "child", "shown"),
    "api:child-profiles": ("sendco", "child", "child"),
    "api:profile": ("sendco", "profile", "child"),
    "api:profile-chart": ("sendco", "profile", "child"),
    "api:profile-pdf": ("sendco", "profile", "child"),
    # A PDF is made by a job; the request leads to the file, whose download is the audited view.
    "exports:file": ("sendco", "export", "child"),
    "api:export-file": ("sendco", "export", "child"),
    # Families are listed with their children's names; the invitation form lists the children
    # a family may be invited for.
    "people:setting": ("sendco", "setting", "shown"),
    "people:setting-invite": ("sendco", "setting", "shown"),
    "organisations:move-children": ("sendco", "setting", "shown"),
    "provision:group-add": ("sendco", "setting", "shown"),
    "provision:group": ("sendco", "prov_group", "shown"),
    "provision:from-action": ("sendco", "plan_action", "shown"),
    "provision:child-map": ("sendco", "child", "shown"),
    "provision:child-map-xlsx": ("sendco", "child", "child"),
    "places:placement": ("caseworker", "child", "shown"),
    "provision:child-map-pdf": ("sendco", "child", "child"),
    "provision:achieves": ("sendco", "setting", "shown"),
    "api:child-provision": ("sendco", "child", "child"),
    "statutory:request": ("sendco", "child_pk", "shown"),
    "statutory:case": ("parent", "case", "shown"),
    "statutory:pack": ("caseworker", "case", "shown"),
    "statutory:record-step": ("caseworker", "case_step", "shown"),
    "statutory:exception": ("caseworker", "case", "shown"),
    "statutory:exception-end": ("caseworker", "case_exception", "shown"),
    "statutory:letter-add": ("caseworker", "case", "shown"),
    "statutory:letter": ("parent", "case_letter", "child"),
    "statutory:appeal": ("caseworker", "case", "shown"),
    "statutory:issue-plan": ("caseworker", "case", "shown"),
    "statutory:plan": ("parent", "plan", "shown"),
    "statutory:plan-edit": ("caseworker", "plan", "shown"),
    "statutory:plan-cease": ("caseworker", "plan", "shown"),
    "statutory:plan-outcome-edit": ("caseworker", "plan_outcome", "shown"),
    "statutory:plan-outcome-remove": ("caseworker", "plan_outcome", "shown"),
    "statutory:worklist": ("caseworker", "worklist", "shown"),
    "api:child-transitions": ("sendco", "child", "child"),
    "api:transition": ("sendco", "transition", "child"),
    # The return names every child in it; the fixture's child is the only one with a request.
    "statutory:sen2": ("la_admin", "sen2", "child"),
    "statutory:sen2-xml": ("la_admin", "sen2_xml", "child"),
    # The preview names the children changed, joining and leaving; downloads name everyone in
    # them; the CTF page lists the children a file may be made for.
    "exchange:preview": ("sendco", "register_import", "shown"),
    "exchange:export": ("sendco", "setting_csv", "shown"),
    "exchange:ctf-export": ("sendco", "setting", "shown"),
    # The family's window on one child, and the child's access log.
    # The statutory pathway's later pages and its API (ADR 33).
    "statutory:pack-pdf": ("caseworker", "case", "child"),
    "statutory:withdraw": ("parent", "case", "shown"),
    "statutory:request-received": ("caseworker", "child_pk", "shown"),
    "statutory:adulthood": ("sendco", "review", "shown"),
    "statutory:plan-outcome": ("caseworker", "plan", "shown"),
    "api:child-cases": ("caseworker", "child", "child"),
    "api:case": ("caseworker", "case", "child"),
    "api:child-plans": ("caseworker", "child", "child"),
    "api:plan": ("caseworker", "plan", "child"),
    # Transition plans (ADR 34): the plan's pages name its child; the lists name every child.
    "transitions:start": ("sendco", "child_pk", "shown"),
    "transitions:plan": ("sendco", "transition", "shown"),
    "transitions:step": ("sendco", "transition_step", "shown"),
    "transitions:review": ("sendco", "transition", "shown"),
    "transitions:end": ("sendco", "transition", "shown"),
    "transitions:receiving": ("sendco", "transition", "shown"),
    "transitions:list": ("sendco", "transitions", "shown"),
    "transitions:phase": ("sendco", "phase", "shown"),
    "transitions:phase-export": ("sendco", "phase_csv", "shown"),
    "family:home": ("parent", "child", "shown"),
    "family:access": ("parent", "child", "shown"),
}
# Aggregates: one row per request, naming the setting or authority (no child is shown by name;
# figures that lead to children link to the child list, which is audited itself).
AGGREGATES = {
    "insights:setting": ("sendco", "setting"),
    "insights:setting-export": ("sendco", "setting_csv"),
    "insights:governors": ("sendco", "setting"),
    "insights:authority": ("la_admin", None),
    "insights:authority-export": ("la_admin", "csv"),
    "api:setting-insight": ("sendco", "setting"),
    "api:authority-insight": ("la_admin", None),
    # Provision: costs and counts by setting, area, staff role and provision; no child named.
    "provision:setting": ("sendco", "setting"),
    "provision:setting-map": ("sendco", "setting"),
    "provision:setting-map-xlsx": ("sendco", "setting"),
    "provision:authority": ("la_admin", None),
    "provision:authority-xlsx": ("la_admin", None),
    # For the authority's administrators the page also lists the funnel children: its one row
    # then names them (tests/test_places_pages.py).
    "places:authority": ("la_admin", None),
    "places:authority-csv": ("la_officer", None),
    "places:authority-xlsx": ("la_admin", None),
    "api:provision-catalogue": ("sendco", "setting"),
    "api:provision-setting-map": ("sendco", "setting"),
    "api:provision-authority": ("la_admin", None),
    "statutory:timeliness": ("la_officer", None),
    "transitions:authority": ("la_admin", None),
    "transitions:authority-export": ("la_admin", "csv"),
    "api:place-planning": ("la_officer", None),
}
NO_CHILD_DATA = {
    "places:schools": "designations and places of the authority's schools (no child is named)",
    "places:areas": "the authority's home-area centres; changes are audited",
    "places:designation": "one school's designation and places; changes are audited",
    "insights:compare": "sharing authorities' published (suppressed) figures; each view audited",
    "insights:sharing": "an authority's choice to share its published figures; audited",
    "family:staff-names": "an authority's choice of staff names in families' logs; audited",
    "transitions:shared": "a write only (the profile and plan recorded as sent); audited",
    "healthz": "service status only",
    "readyz": "service readiness only",
    "metrics": "service figures only, for the metrics scraper",
    "accounts:sign-in": "sign-in form",
    "accounts:mfa-verify": "second-factor form",
    "accounts:sign-out": "signs out",
    "accounts:account": "the user's own account (a young person sees only their own name)",
    "accounts:language": "the user's own language choice; a change is audited",
    "accounts:mfa-setup": "the user's own second factor",
    "accounts:token-create": "the user's own API tokens",
    "accounts:token-revoke": "the user's own API tokens",
    "accounts:mfa-recovery": "second-factor form (a recovery code)",
    "accounts:password-reset": "password reset form; the request is audited",
    "accounts:password-reset-sent": "says to check email",
    "accounts:password-reset-confirm": "new password form; the change is audited",
    "accounts:password-reset-done": "says the password has changed",
    "accounts:recovery-codes": "the user's own recovery codes; making them is audited",
    "accounts:reset-authenticator": "a person's name and email; the reset is audited",
    "api:frameworks": "the frameworks loaded: reference text, no child data",
    "api:framework": "one framework's scale and wording: reference text, no child data",
    "api:localities": "the authority's localities; each page audited (test_recovery_api)",
    "api:settings": "the authority's settings; each page audited (test_recovery_api)",
    "api:setting": "one setting; audited (test_recovery_api)",
    "api:people": "people and their roles, no child data; audited (test_recovery_api)",
    "api:person": "one person and their roles; audited (test_recovery_api)",
    "children:create": "an empty form; the record it creates is audited as created",
    "children:join": "a form (UPN and date of birth typed by the user); each try is audited",
    "children:joined": "the setting and first day of a move the user made, without the name",
    "records:import": "an upload form; each import, or refusal, is audited",
    "profiles:ask-family": "a write, audited by the service (the request names no child)",
    "profiles:review": "a write (a new draft), audited by the service",
    "audit-log": "the audit trail (ids and summaries, never a child's details)",
    "api:me": "the user's own account",
    "api:schema": "the API's description",
    "exports:detail": "how a file being made is getting on (the file's download is audited)",
    "api:export": "how a file being made is getting on (the file's download is audited)",
    "accounts:invitation": "the invitation's role and organisation, never a child",
    "people:index": "links to the organisations whose people the user manages",
    "people:authority": "the authority's staff and SENDCos (audited as a people list)",
    "people:authority-invite": "a form for authority roles (no child is named)",
    "people:membership": "one person's role and classes",
    "people:suspend": "a write, audited by the service",
    "people:restore": "a write, audited by the service",
    "people:invitation-resend": "a write, audited by the service",
    "people:invitation-cancel": "a write, audited by the service",
    "organisations:authority-create": "an empty form; the authority it creates is audited",
    "organisations:authority": "the authority's settings and localities",
    "organisations:import": "an upload form",
    "organisations:import-preview": "the register's public details of settings",
    "organisations:locality-create": "an empty form; the locality it creates is audited",
    "organisations:trust-create": "an empty form; the trust it creates is audited",
    "organisations:setting-create": "an empty form; the setting it creates is audited",
    "organisations:setting-edit": "a setting's public details",
    "organisations:classes": "a setting's year groups and classes (no child is named)",
    "organisations:year-group-create": "a write, audited by the service",
    "exchange:index": "links to the settings whose register the user may load",
    "exchange:setting": "an upload form and the counts of registers loaded",
    "exchange:mapping": "the uploaded file's column headings (no child is named)",
    "exchange:progress": "an import's status and counts (loading it is audited)",
    "organisations:class-create": "a write, audited by the service",
    "provision:provision-add": "a form for the catalogue; the provision it adds is audited",
    "provision:provision-edit": "one catalogue entry; changes are audited",
    "provision:library": "the library of common provisions; adding is audited",
    "provision:staff": "staff roles and hourly costs; changes are audited",
    "provision:staff-edit": "one staff role; changes are audited",
    "provision:budget": "the setting's notional SEN budget; changes are audited",
    "provision:group-add-child": "a write (a place), audited by the service",
    "api:provision-achieves": "children by id; its one row names them all (test_provision_views)",
}


def _names(patterns, prefix=""):  # type: ignore[no-untyped-def]
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            yield from _names(p.url_patterns, ns)
        elif isinstance(p, URLPattern):
            yield f"{prefix}{p.name}" if p.name else f"{prefix}<unnamed {p.pattern}>"


def test_every_url_is_classified():
    names = set(_names(get_resolver().url_patterns))
    classified = set(CHILD_DATA) | set(AGGREGATES) | set(NO_CHILD_DATA)
    assert not set(CHILD_DATA) & set(AGGREGATES) & set(NO_CHILD_DATA)
    assert names - classified == set(), "say whether these URLs return child data"
    assert classified - names == set(), "these URLs no longer exist"


def _profile_pk(world) -> int:
    from vsend.profiles.services import start_profile

    return start_profile(
        actor=Actor(user=world.users["sendco"]),
        child=world.child,
        assessment_date=date(2026, 11, 2),
    ).pk


def _url(name: str, key: str | None, world, fmt: str = "csv") -> str:
    from tests.provision_helpers import world_group

    world_group(world)  # setting A1 runs a group for the child and a classmate
    if key in ("sen2", "sen2_xml"):
        from tests.test_access_matrix import _statutory_url

        _statutory_url("statutory:case", "case", world, "child")
        if key == "sen2":
            return reverse(name)
        today = date.today()  # noqa: DTZ011 - the default collection year
        return reverse(name, kwargs={"year": today.year + (1 if today.month > 1 else 0)})
    if key in ("phase", "phase_csv"):
        from vsend.organisations.models import YearGroup

        # The fixture's Year 3 becomes Year 6: its children change phase next September.
        YearGroup.objects.filter(setting=world.setting, code="3").update(code="6")
        return reverse(name, kwargs={"fmt": "csv"} if key == "phase_csv" else {})
    if key in ("transition", "transition_step", "transitions"):
        from tests.test_access_matrix import _transition_url

        if key == "transitions":
            _transition_url("transitions:plan", "transition", world, "child")
            return reverse(name)
        return _transition_url(name, key, world, "child")
    if key in (
        "case",
        "case_step",
        "case_exception",
        "case_letter",
        "plan",
        "plan_outcome",
        "review",
        "worklist",
    ):
        from tests.test_access_matrix import _statutory_url

        if key == "worklist":
            _statutory_url("statutory:case", "case", world, "child")
            return reverse(name)
        return _statutory_url(name, key, world, "child")
    kwargs: dict[str, object] = {}
    if key == "prov_group":
        kwargs = {"pk": world_group(world).pk}
    elif key == "plan_action":
        from vsend.profiles.models import SupportAction

        action = SupportAction.objects.create(
            profile_id=_profile_pk(world),
            domain="communication_interaction",
            what="Talk time",
            who="TA",
            how_often="Weekly",
            starts_on=date(2026, 11, 2),
        )
        kwargs = {"pk": action.pk}
    elif key in ("child", "setting"):
        kwargs = {"pk": world.child.pk if key == "child" else world.setting.pk}
    elif key == "child_pk":
        kwargs = {"child_pk": world.child.pk}
    elif key == "setting_csv":
        kwargs = {"pk": world.setting.pk, "fmt": fmt}
    elif key == "csv":
        kwargs = {"fmt": fmt}
    elif key == "profile":
        kwargs = {"pk": _profile_pk(world)}
    elif key == "register_import":
        from pathlib import Path

        from vsend.exchange.services import confirm_mapping, start_import

        imp = start_import(
            user=world.users["sendco"],
            setting=world.setting,
            file_name="register.csv",
            data=(Path(__file__).parent / "data" / "register_sims.csv").read_bytes(),
        )
        confirm_mapping(actor=Actor(user=world.users["sendco"]), imp=imp, mapping=imp.mapping)
        kwargs = {"pk": world.setting.pk, "import_pk": imp.pk}
    elif key == "export":
        from vsend.exports.services import request_export

        export = request_export(
            user=world.users["sendco"],
            kind="profile_pdf",
            object_id=_profile_pk(world),
            filename="profile.pdf",
            version=1,
            params={},
        )
        kwargs = {"pk": export.pk}
    elif key == "profile_step":
        kwargs = {"pk": _profile_pk(world), "step": "readiness"}
    elif key == "profile_domain":
        kwargs = {"pk": _profile_pk(world), "domain": "semh"}
    elif key == "voice_question":
        kwargs = {"child_pk": world.child.pk, "question": "likes"}
    elif key == "voice_area":
        kwargs = {"child_pk": world.child.pk, "domain": "semh"}
    elif key == "voice_version":
        from tests.test_access_matrix import _about_me

        kwargs = {"child_pk": world.child.pk, "number": _about_me(world.child)}
    return reverse(name, kwargs=kwargs)


def _named(event: AuditEvent) -> set[int]:
    ids = set(event.detail.get("child_ids", []))
    return ids | ({event.child_id} if event.child_id else set())


def _new_rows(before: int, actor) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(pk__gt=before, actor=actor).order_by("pk"))


def _last_pk() -> int:
    last = AuditEvent.objects.order_by("-pk").first()
    return last.pk if last else 0


def _world_children(world):
    return [
        world.child,
        world.classmate,
        world.other_setting_child,
        world.young_person_child,
        world.far_child,
    ]


@pytest.mark.parametrize("name", sorted(CHILD_DATA))
def test_each_url_returning_child_data_writes_one_row_naming_the_children(name, world, as_user):
    persona, key, expect = CHILD_DATA[name]
    url = _url(name, key, world)
    before = _last_pk()
    response = as_user(persona).get(url, follow=True)  # a PDF is made, then downloaded
    assert response.status_code == 200, (name, response.status_code)
    rows = _new_rows(before, world.users[persona])
    views = [r for r in rows if r.action == Action.VIEW]
    assert len(views) == 1, (name, [(r.action, r.summary) for r in rows])
    if expect == "child":
        assert _named(views[0]) == {world.child.pk}, name
        return
    body = response.content.decode()
    shown = {c.pk for c in _world_children(world) if c.first_name in body}
    assert shown, f"{name}: the response shows no child of the fixture"
    assert _named(views[0]) == shown, name


def test_the_api_child_list_names_every_child_in_the_page(world, as_user):
    before = _last_pk()
    response = as_user("la_admin").get(reverse("api:children"))
    results = json.loads(response.content)["results"]
    (row,) = _new_rows(before, world.users["la_admin"])
    assert row.channel == "api" and row.object_type == "child_list"
    assert row.detail["child_ids"] == sorted(r["id"] for r in results)
    assert row.detail["count"] == len(results) == 4
    assert row.authority_id == world.authority.pk


def test_a_filtered_child_list_records_its_filters(world, as_user):
    before = _last_pk()
    as_user("la_admin").get(reverse("children:list"), {"q": "Amelia"})
    (row,) = _new_rows(before, world.users["la_admin"])
    assert row.detail["child_ids"] == [world.child.pk]
    assert row.detail["filters"] == {"q": "Amelia"}


def test_a_child_list_row_stays_small(world, as_user):
    from vsend.audit.services import MAX_CHILD_IDS, record_children_shown

    many = [type(world.child)(pk=i, authority_id=world.authority.pk) for i in range(1, 500)]
    row = record_children_shown(Actor(user=None), many, summary="Children listed")
    assert row.detail["count"] == 499 and len(row.detail["child_ids"]) == MAX_CHILD_IDS


@pytest.mark.parametrize(
    ("name", "fmt"),
    [(n, None) for n in sorted(AGGREGATES)]
    + [(n, "xlsx") for n in ("insights:setting-export", "insights:authority-export")],
)
def test_each_aggregate_url_writes_one_row(name, fmt, world, as_user):
    persona, key = AGGREGATES[name]
    before = _last_pk()
    response = as_user(persona).get(_url(name, key, world, fmt or "csv"), follow=True)
    assert response.status_code == 200
    views = [r for r in _new_rows(before, world.users[persona]) if r.action == Action.VIEW]
    assert len(views) == 1
    assert views[0].authority_id == world.authority.pk


def test_the_locked_page_for_a_finalised_profile_is_audited(world, as_user):
    from tests.profile_helpers import complete_profile

    client = as_user("sendco")
    pk = complete_profile(client, world.child)
    before = _last_pk()
    response = client.get(reverse("profiles:step", kwargs={"pk": pk, "step": "needs"}))
    assert response.status_code == 409 and world.child.first_name in response.content.decode()
    (row,) = _new_rows(before, world.users["sendco"])
    assert (row.action, row.child_id) == (Action.VIEW, world.child.pk)
