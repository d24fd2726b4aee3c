"""The home page: what each role starts from."""

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from vsend.accounts.middleware import has_mfa_device
from vsend.accounts.policy import AccessPolicy, Disclosure
from vsend.accounts.roles import Perm, Role
from vsend.audit.services import actor_from_request, record_children_shown
from vsend.children import selectors
from vsend.children.selectors import today
from vsend.insights import dashboards, suppression
from vsend.organisations import start
from vsend.organisations.models import LocalAuthority, Setting
from vsend.profiles import family
from vsend.profiles.worklist import worklist_for

CHILDREN_SHOWN = 25


def _rows(children):
    return [(c, selectors.current_enrolment(c)) for c in children]


def _section_rows(section: dict) -> list:
    if section["kind"] == "classes":
        rows = [row for _, rows in section["classes"] for row in rows]
    else:
        rows = list(section.get("rows", []))
    if section.get("worklist"):
        rows += [(c, None) for c in section["worklist"].children]
    return rows


def _setting_figures(settings_qs):
    current = Q(enrolments__ended_on__isnull=True)
    return settings_qs.annotate(
        children=Count("enrolments", filter=current),
        sen_support=Count("enrolments", filter=current & Q(enrolments__child__sen_provision="K")),
        ehc_plans=Count("enrolments", filter=current & Q(enrolments__child__sen_provision="E")),
    ).select_related("locality")


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    policy = AccessPolicy.for_request(request)
    sections: list[dict[str, Any]] = []
    for m in policy.memberships:
        if m.role == Role.PLATFORM_ADMIN:
            authorities = LocalAuthority.objects.annotate(
                settings_count=Count("settings", distinct=True),
                children_count=Count("children", distinct=True),
            )
            sections.append({"kind": "platform", "membership": m, "authorities": authorities})
        elif m.role in (Role.LA_ADMIN, Role.LA_OFFICER) and m.authority is not None:
            if policy.authority_disclosure(m.authority) is Disclosure.ANONYMOUS:
                # The same rounded figures, as at the same term end, as the dashboards publish.
                as_at, counts = dashboards.published_setting_counts(m.authority)
                settings_qs = Setting.objects.filter(authority_id=m.authority_id).select_related(
                    "locality"
                )
                rows = [(s, counts.get(s.pk, [0, 0, 0])) for s in settings_qs]
                note = suppression.NOTE
            else:
                settings_qs = _setting_figures(Setting.objects.filter(authority_id=m.authority_id))
                rows = [(s, [s.children, s.sen_support, s.ehc_plans]) for s in settings_qs]
                as_at, note = None, ""
            section: dict[str, Any] = {"kind": "authority", "membership": m, "rows": rows}
            section.update(as_at=as_at, note=note)
            if m.role == Role.LA_ADMIN:
                # A new authority's administrator sees what to do next.
                done = start.progress(m.authority)
                if not done.set_up:
                    section["tasks"] = start.tasks(
                        done, has_authenticator=has_mfa_device(request.user)
                    )
            sections.append(section)
        elif m.role == Role.CASEWORKER:
            children = selectors.with_current_enrolment(policy.children_reached_by(m))
            sections.append(
                {
                    "kind": "children",
                    "membership": m,
                    "rows": _rows(children[:CHILDREN_SHOWN]),
                    "heading": "Children you are named for",
                    "total": children.count(),
                    "worklist": worklist_for(policy.children_reached_by(m), today()),
                }
            )
        elif m.role == Role.SENDCO:
            qs = selectors.with_current_enrolment(policy.children_reached_by(m))
            totals = qs.aggregate(
                all=Count("pk"),
                k=Count("pk", filter=Q(sen_provision="K")),
                e=Count("pk", filter=Q(sen_provision="E")),
            )
            sen = qs.exclude(sen_provision="N")
            sections.append(
                {
                    "kind": "children",
                    "membership": m,
                    "rows": _rows(sen[:CHILDREN_SHOWN]),
                    "heading": f"Children with SEN at {m.setting}",
                    "totals": totals,
                    "total": totals["k"] + totals["e"],
                    "setting": m.setting,
                    "worklist": worklist_for(
                        policy.children_reached_by(m), today(), setting_id=m.setting_id
                    ),
                }
            )
        elif m.role == Role.TEACHER:
            classes = []
            for school_class in m.classes.all():
                children = selectors.with_current_enrolment(
                    selectors.filter_children(
                        policy.children(Perm.VIEW_CHILD),
                        selectors.ChildFilters(school_class=school_class.pk),
                    )
                )
                classes.append((school_class, _rows(children)))
            sections.append(
                {
                    "kind": "classes",
                    "membership": m,
                    "classes": classes,
                    "worklist": worklist_for(policy.children_reached_by(m), today()),
                }
            )
        elif m.role == Role.GOVERNOR:
            sections.append({"kind": "governor", "membership": m})
        elif m.role in (Role.PARENT, Role.YOUNG_PERSON):
            children = selectors.with_current_enrolment(policy.children_reached_by(m))
            asked = family.pending_for(policy.children_reached_by(m, Perm.RECORD_HOME_CONFIDENCE))
            sections.append(
                {"kind": "family", "membership": m, "rows": _rows(children), "asked": list(asked)}
            )
    shown = [c for section in sections for c, _ in _section_rows(section)]
    if shown:
        record_children_shown(
            actor_from_request(request),
            shown,
            object_type="home",
            summary="Home page listed children",
        )
    return render(
        request,
        "home.html",
        {
            "sections": sections,
            "can_view_children": policy.can_anywhere(Perm.VIEW_CHILD),
        },
    )
