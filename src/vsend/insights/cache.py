"""Cached aggregates. The database computes every figure; the result is kept (in Django's cache)
under a key that includes the authority's data version, so any write that changes the figures
makes the old entries unreachable. A time limit bounds any change made outside the services."""

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.utils import timezone

from vsend.insights.models import DataVersion
from vsend.ops.metrics import timed_dashboard

T = TypeVar("T")


def bump(authority_id: int) -> None:
    """Call from any service whose write changes what the dashboards show."""
    updated = DataVersion.objects.filter(pk=authority_id).update(
        version=F("version") + 1, changed_at=timezone.now()
    )
    if not updated:
        DataVersion.objects.get_or_create(pk=authority_id, defaults={"version": 1})


def version(authority_id: int) -> int:
    return (
        DataVersion.objects.filter(pk=authority_id).values_list("version", flat=True).first() or 0
    )


def cached(authority_id: int, parts: tuple[object, ...], compute: Callable[[], T]) -> T:
    key = (
        "insight:"
        + hashlib.sha256(repr((authority_id, version(authority_id), parts)).encode()).hexdigest()
    )
    value = cache.get(key)
    if value is None:
        with timed_dashboard(str(parts[0]) if parts else ""):
            value = compute()
        cache.set(key, value, settings.VSEND_INSIGHT_CACHE_SECONDS)
    return value


def cached_by_stamp(parts: tuple[object, ...], compute: Callable[[], T]) -> T:
    """For figures that follow one stored row: parts include the row's stamp, so a change to
    that row (and only that) makes the entry unreachable."""
    key = "insight-row:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.VSEND_INSIGHT_CACHE_SECONDS)
    return value
