"""Stored rows: recompute some settings, read them, and sum them to any group of settings."""

import time
from collections.abc import Iterable, Mapping
from datetime import date
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone

from vsend.aggregates.models import SettingAggregate
from vsend.aggregates.registry import KINDS, Kind, Values, get
from vsend.insights.terms import term_containing
from vsend.organisations.models import Setting


def is_stored_date(as_at: date) -> bool:
    """Rows are kept for the end of every term asked for, and for today."""
    return as_at == term_containing(as_at).ends or as_at == timezone.localdate()


def add(total: Values, values: Mapping[str, int], sign: int = 1) -> Values:
    for key, value in values.items():
        total[key] = total.get(key, 0) + sign * value
    return total


def recompute(kind: Kind | str, authority_id: int, setting_ids: Iterable[int], as_at: date) -> None:
    """Compute and store the rows of some settings as at a date. The settings are locked first,
    so two changes at one setting recompute one after the other and the later sees both."""
    kind = get(kind) if isinstance(kind, str) else kind
    ids = tuple(sorted(set(setting_ids)))
    if not ids:
        return
    with transaction.atomic():
        list(Setting.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
        if kind.compute_both is not None:
            values, duplicates = kind.compute_both(authority_id, ids, as_at)
        else:
            values = kind.compute(authority_id, ids, as_at, False)
            duplicates = kind.compute(authority_id, ids, as_at, True)
        now = timezone.now()
        SettingAggregate.objects.bulk_create(
            [
                SettingAggregate(
                    kind=kind.name,
                    authority_id=authority_id,
                    setting_id=pk,
                    as_at=as_at,
                    values=values.get(pk, {}),
                    duplicates=duplicates.get(pk, {}),
                    computed_at=now,
                    stamp=time.time_ns(),
                )
                for pk in ids
            ],
            update_conflicts=True,
            unique_fields=["kind", "setting", "as_at"],
            update_fields=["values", "duplicates", "computed_at", "stamp"],
        )


def stored_dates(kind: str, authority_id: int, since: date | None = None) -> list[date]:
    dates = SettingAggregate.objects.filter(kind=kind, authority_id=authority_id)
    if since is not None:
        dates = dates.filter(as_at__gte=since)
    return sorted(set(dates.values_list("as_at", flat=True)))


class Row(NamedTuple):
    values: Values
    duplicates: Values
    stamp: object  # when it was computed: what memos are keyed by


# Rows already read by this process, by (kind, setting, date): only rows computed again since
# are read again, so under a steady stream of changes a page decodes a handful of rows.
_MEMO: dict[tuple[str, int, date], Row] = {}
MEMO_MAX = 50_000


def rows_at(
    kind: str,
    authority_id: int,
    dates: Iterable[date],
    setting_ids: Iterable[int] | None = None,
    *,
    every_setting: bool = False,
) -> dict[date, dict[int, Row]]:
    """Each setting's row at each stored date; settings with no row yet at a date are computed
    (together) and stored first. Two queries when nothing changed, three when something did.
    `every_setting`: the ids given are all the authority's settings (none is filtered out, so
    no long list of ids is sent to the database and the settings are not read again)."""
    dates = sorted(set(dates))
    wanted = (
        set(setting_ids)
        if setting_ids is not None
        else set(Setting.objects.filter(authority_id=authority_id).values_list("pk", flat=True))
    )
    base = SettingAggregate.objects.filter(kind=kind, authority_id=authority_id, as_at__in=dates)
    if setting_ids is not None and not every_setting:
        base = base.filter(setting_id__in=wanted)
    stamps = {(pk, d): at for pk, d, at in base.values_list("setting_id", "as_at", "stamp")}
    for as_at in dates:
        missing = {pk for pk in wanted if (pk, as_at) not in stamps}
        if missing:
            recompute(kind, authority_id, missing, as_at)
            for pk, at in SettingAggregate.objects.filter(
                kind=kind, setting_id__in=missing, as_at=as_at
            ).values_list("setting_id", "stamp"):
                stamps[(pk, as_at)] = at
    stale = [
        key for key, at in stamps.items() if (m := _MEMO.get((kind, *key))) is None or m.stamp != at
    ]
    if stale:
        if len(_MEMO) > MEMO_MAX:
            _MEMO.clear()
        ids = {pk for pk, _ in stale}
        # Many rows changed (a first read): read them all rather than send a long list of ids.
        changed = base if len(ids) > len(wanted) // 2 else base.filter(setting_id__in=ids)
        for pk, as_at, values, dups, at in changed.values_list(
            "setting_id", "as_at", "values", "duplicates", "stamp"
        ):
            _MEMO[(kind, pk, as_at)] = Row(values, dups, at)
    out: dict[date, dict[int, Row]] = {d: {} for d in dates}
    for pk, as_at in stamps:
        if pk in wanted:
            out[as_at][pk] = _MEMO[(kind, pk, as_at)]
    return out


def rows(
    kind: str,
    authority_id: int,
    as_at: date,
    setting_ids: Iterable[int] | None = None,
    *,
    every_setting: bool = False,
) -> dict[int, Row]:
    return rows_at(kind, authority_id, [as_at], setting_ids, every_setting=every_setting)[as_at]


def sums(
    stored: Mapping[int, tuple[Values, Values] | Row], groups: Mapping[object, Iterable[int]]
) -> dict[object, Values]:
    """Each group's figures: the sum of its settings' rows, less the children counted at
    another setting of the sum (so a child registered at two settings counts once)."""
    out: dict[object, Values] = {}
    for key, members in groups.items():
        total: Values = {}
        for pk in members:
            values, duplicates = stored.get(pk, ({}, {}))[:2]
            add(total, values)
            add(total, duplicates, -1)
        out[key] = total
    return out


def refresh_authority(authority_id: int, kinds: Iterable[str] | None = None) -> int:
    """Recompute every stored row of an authority (the job's safety net for changes made
    outside the services) and drop rows for past days that are not a term's end."""
    today = timezone.localdate()
    SettingAggregate.objects.filter(authority_id=authority_id, as_at__lt=today).exclude(
        as_at__in=[d for d in _term_ends_before(today)]
    ).delete()
    settings_ = list(Setting.objects.filter(authority_id=authority_id).values_list("pk", flat=True))
    done = 0
    for name in kinds or KINDS:
        for as_at in {*stored_dates(name, authority_id), today}:
            recompute(name, authority_id, settings_, as_at)
            done += 1
    return done


def _term_ends_before(today: date) -> list[date]:
    ends, term = [], term_containing(today)
    from vsend.insights.terms import previous_term

    for _ in range(40):  # ten years of terms
        term = previous_term(term)
        ends.append(term.ends)
    return ends
