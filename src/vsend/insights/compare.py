"""Cross-authority benchmarking (opt-in): each sharing authority's published figures, side by
side, as at the end of the last term. Only what ADR 11 already publishes to an LA officer is
shown, suppressed by the same rule, so sharing discloses nothing new about any child."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from vsend.accounts import policy
from vsend.accounts.roles import Role
from vsend.audit.models import Action
from vsend.audit.services import Actor, record
from vsend.frameworks.loader import DOMAIN_KEYS
from vsend.insights import figures, published
from vsend.insights.models import BenchmarkSharing
from vsend.insights.queries import DomainStats, Filters, Scope
from vsend.insights.suppression import count, pct
from vsend.insights.tables import Table
from vsend.organisations.models import LocalAuthority


def sharing(authority: LocalAuthority) -> bool:
    return BenchmarkSharing.objects.filter(authority=authority).exists()


def may_choose(user: Any, authority: LocalAuthority) -> bool:
    """Whoever runs the authority (an LA administrator) decides whether it shares."""
    return policy.access_policy(user).may_manage_authority(authority)


def may_compare(user: Any) -> bool:
    """A platform administrator, or anyone who may open the dashboard of a sharing authority."""
    p = policy.access_policy(user)
    if any(m.role == Role.PLATFORM_ADMIN for m in p.memberships):
        return True
    shared = LocalAuthority.objects.filter(benchmark_sharing__isnull=False)
    return any(p.may_view_authority(a) for a in shared)


@transaction.atomic
def set_sharing(*, actor: Actor, authority: LocalAuthority, share: bool) -> None:
    if share:
        _, created = BenchmarkSharing.objects.get_or_create(
            authority=authority, defaults={"chosen_by": actor.user}
        )
    else:
        created = BenchmarkSharing.objects.filter(authority=authority).delete()[0] > 0
    if created:
        record(
            actor,
            Action.UPDATE,
            object_type="authority",
            object_id=authority.pk,
            authority_id=authority.pk,
            summary="Published figures shared with other authorities"
            if share
            else "Published figures no longer shared with other authorities",
        )


def comparison(names: dict[str, str]) -> tuple[date, list[Table]]:
    as_at = published.as_at_term_end(timezone.localdate())
    authorities = list(
        LocalAuthority.objects.filter(benchmark_sharing__isnull=False).order_by("name")
    )
    summary, need = [], []
    for authority in authorities:
        block = figures.figures(Scope(authority.pk), Filters(), as_at).group()
        summary.append(published.summary_row(authority.name, block))
        row: list[Any] = [authority.name]
        for k in DOMAIN_KEYS:
            d = (
                block.domains.get(k, DomainStats(k))
                if published.detailed(block)
                else DomainStats(k)
            )
            row.append(pct(count(d.significant), count(d.n)))
        need.append(row)
    return as_at, [
        Table(
            "authorities",
            "Authorities side by side",
            ["Authority", *published.SUMMARY_COLUMNS[1:]],
            summary,
        ),
        Table(
            "significant_by_authority",
            "Significant need by area (% of children profiled)",
            ["Authority", *[names[k] for k in DOMAIN_KEYS]],
            need,
            chart="",
        ),
    ]
