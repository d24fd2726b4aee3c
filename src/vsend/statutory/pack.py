"""The request pack: what a request for an EHC needs assessment brings with it, as one JSON
document (and the printable page built from the same data).

- the child's details and current Valuing SEND profile (the ratings behind the chart);
- the last three Assess-Plan-Do-Review cycles: each finalised profile's plan (outcomes and
  actions), the review of the plan before it, and the change in need since;
- the family's and the child's own views, from the request and the profiles;
- COSTED PROVISION: a slot for the three-term costed provision map (previous, current, next
  term), which comes from the `provision` app. Until that app is installed the slot says
  "not available" and holds nothing: no figure here is made up.
"""

from typing import Any

from vsend.audit.services import english
from vsend.profiles.models import Profile
from vsend.profiles.selectors import profile_view
from vsend.statutory.models import Case
from vsend.statutory.selectors import finalised_profiles

CYCLES = 3
PACK_VERSION = 1


def costed_provision(case: Case) -> dict[str, Any]:
    """The child's costed provision map over three terms around the request: the term before the
    one the request was received in, that term and the next (group costs already shared by the
    group's size and pro-rated, from the provision ledger)."""
    from vsend.insights.terms import term_containing
    from vsend.provision.maps import child_map, money, tenth, three_terms

    terms = three_terms(term_containing(case.started_on))
    found = child_map(case.child_id, terms)

    def cell(term: Any, c: Any) -> dict[str, str]:
        return {
            "term": term.slug,
            "sessions_received": str(tenth(c.received)),
            "hours": str(tenth(c.hours)),
            "cost": str(money(c.cost)),
        }

    return {
        "available": True,
        "note": "Costs are shared by the children in each group and pro-rated by dates and term.",
        "terms": [t.slug for t in terms],
        "provision": [
            {
                "provision": r.provision,
                "group": r.group,
                "delivered_by": r.staff_role,
                "areas": r.areas,
                "terms": [cell(t, c) for t, c in zip(terms, r.cells, strict=True)],
                "total_cost": str(money(r.total.cost)),
            }
            for r in found.rows
        ],
        "term_costs": [str(money(c.cost)) for c in found.totals],
        "total_cost": str(money(found.total.cost)),
    }


def _cycle(profile: Profile) -> dict[str, Any]:
    view = profile_view(profile)
    return {
        "profile": profile.number,
        "assessed_on": profile.assessment_date.isoformat(),
        "review_date": profile.review_date.isoformat() if profile.review_date else None,
        "needs": [
            {
                "area": d.domain.name,
                "need": d.rating.need_level,
                "setting_readiness": d.rating.readiness_level,
                "home_confidence": d.rating.confidence_level,
                "change_in_need": d.change,
            }
            for d in view.domains
        ],
        "plan": {
            "outcomes": [
                {
                    "area": o.domain,
                    "outcome": o.what,
                    "how_we_will_know": o.how_we_will_know,
                    "by": o.by_when.isoformat(),
                }
                for o in view.outcomes
            ],
            "support": [
                {"area": a.domain, "what": a.what, "who": a.who, "how_often": a.how_often}
                for a in view.actions
            ],
        },
        "review_of_the_plan_before": [
            {"outcome": r.outcome.what, "result": english(r.get_result_display()), "note": r.note}
            for r in view.reviews
        ],
        "child_views": profile.child_views,
        "family_views": profile.family_views,
    }


def request_pack(case: Case) -> dict[str, Any]:
    child = case.child
    finalised = finalised_profiles(child.pk, CYCLES)
    return {
        "pack_version": PACK_VERSION,
        "request": {
            "received_on": case.started_on.isoformat(),
            "requested_by": english(case.get_requester_display()),
            "setting": case.setting.name if case.setting else None,
            "reasons": case.reasons,
            "family_views": case.family_views,
            "child_views": case.child_views,
        },
        "child": {
            "name": child.legal_name,
            "date_of_birth": child.date_of_birth.isoformat(),
            "upn": child.upn,
            "sen_provision": child.get_sen_provision_display(),
            "primary_need": child.get_primary_need_display(),
            "secondary_need": child.get_secondary_need_display(),
        },
        "current_profile": _cycle(finalised[0]) if finalised else None,
        "assess_plan_do_review_cycles": [_cycle(p) for p in finalised],
        "costed_provision": costed_provision(case),
    }
