"""The cost ledger (PlaceTermCost): a group's places worked out term by term with the cost
arithmetic (costs.py) and written in the caller's transaction, then announced so the stored
aggregates of that setting follow (ADR 25)."""

from datetime import date
from decimal import Decimal

from vsend.organisations.models import Setting
from vsend.provision import costs, stored
from vsend.provision.models import Place, PlaceTermCost, Provision, ProvisionGroup
from vsend.provision.rates import rate_of, role_in

Q4 = Decimal("0.0001")


def changed(setting_id: int, since: date | None) -> None:
    """Announce that a setting's provision changed from a date on: the stored aggregates of
    that setting (only) are computed again, in this transaction (ADR 25)."""
    authority_id = Setting.objects.filter(pk=setting_id).values_list("authority_id", flat=True)
    stored.announce(authority_id.get(), [setting_id], since)


def recompute_group(group: ProvisionGroup, announce: bool = True) -> None:
    """Rewrite the ledger rows of every place in the group (and, unless the caller announces
    once for many groups, announce the change)."""
    provision = (
        Provision.objects.select_related("staff_role")
        .prefetch_related("staff_role__rates", "cost_changes__staff_role__rates")
        .get(pk=group.provision_id)
    )
    places = list(group.places.all())
    PlaceTermCost.objects.filter(place__group=group).delete()
    if places:
        _write_ledger(group, provision, places)
    if announce:
        changed(group.setting_id, group.starts_on)


def _write_ledger(group: ProvisionGroup, provision: Provision, places: list[Place]) -> None:
    spans = [
        costs.Span(p.pk, max(p.starts_on, group.starts_on), min(p.ends_on, group.ends_on))
        for p in places
    ]
    by_child = {p.child_id: p.pk for p in places}
    misses = [
        costs.Miss(m.date, None if m.child_id is None else by_child.get(m.child_id, -1))
        for m in group.missed.all()
    ]
    areas = list(provision.areas) or ["unassigned"]
    share = Decimal(1) / Decimal(len(areas))
    rows = []
    child_of = {p.pk: p.child_id for p in places}
    for tf in costs.group_figures(
        rate_of(provision), spans, misses, group.starts_on, group.ends_on
    ):
        role_id = role_in(provision, tf.term.starts, tf.term.ends)
        for key, f in tf.places.items():
            for area in areas:
                rows.append(
                    PlaceTermCost(
                        place_id=key,
                        child_id=child_of[key],
                        setting_id=group.setting_id,
                        provision_id=provision.pk,
                        staff_role_id=role_id,
                        term=tf.term.slug,
                        term_starts=tf.term.starts,
                        area=area,
                        planned_sessions=(f.planned * share).quantize(Q4),
                        missed_sessions=(f.missed * share).quantize(Q4),
                        hours=(f.hours(provision.session_minutes) * share).quantize(Q4),
                        cost=(f.cost * share).quantize(Q4),
                    )
                )
    PlaceTermCost.objects.bulk_create(rows, batch_size=1000)
