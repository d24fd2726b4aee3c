"""What changed: services announce it, the stored aggregates react (ADR 25).

`announce` writes an Event in the caller's transaction and hands it at once to the handlers,
inside that transaction (in a savepoint): the figures change in the same commit as the data,
so every process sees them together. If a handler fails, the change still commits, the event
stays unprocessed, and the `aggregates.process_events` job handles it later. Changes made
another way (imports, the shell, the database) are caught by `aggregates.refresh`, daily.
"""

import logging
from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone

from vsend.aggregates import store
from vsend.aggregates.models import Event
from vsend.aggregates.registry import reacting_to

log = logging.getLogger(__name__)


def announce(
    kind: str,
    *,
    authority_id: int,
    child_id: int | None = None,
    setting_ids: Iterable[int] = (),
    since: date | None = None,
) -> Event:
    event = Event.objects.create(
        kind=kind,
        authority_id=authority_id,
        child_id=child_id,
        setting_ids=sorted(set(setting_ids)),
        since=since,
    )
    try:
        with transaction.atomic():
            handle(event)
    except Exception:
        log.exception("Aggregates did not react to %s; the job will", event)
    return event


def settings_touched(event: Event) -> set[int]:
    from vsend.children.models import Enrolment

    ids = set(event.setting_ids)
    if event.child_id is not None:
        ids |= set(
            Enrolment.objects.filter(child_id=event.child_id).values_list("setting_id", flat=True)
        )
    return ids


def handle(event: Event) -> None:
    ids = settings_touched(event)
    for kind in reacting_to(event.kind):
        since = None if kind.whole_history else event.since
        dates = set(store.stored_dates(kind.name, event.authority_id, since))
        today = timezone.localdate()
        if since is None or since <= today:
            dates.add(today)
        for as_at in sorted(dates):
            store.recompute(kind, event.authority_id, ids, as_at)
        if kind.changed is not None:
            kind.changed(event.authority_id)
    Event.objects.filter(pk=event.pk).update(processed_at=timezone.now())


def process_events(limit: int = 500) -> int:
    """The job: handle events no handler has processed yet (oldest first)."""
    done = 0
    with transaction.atomic():
        pending = list(
            Event.objects.select_for_update(skip_locked=True)
            .filter(processed_at__isnull=True)
            .order_by("pk")[:limit]
        )
        for event in pending:
            handle(event)
            done += 1
    return done


def refresh() -> int:
    """The daily job: every authority's stored rows computed again."""
    from vsend.organisations.models import LocalAuthority

    process_events()
    return sum(
        store.refresh_authority(pk) for pk in LocalAuthority.objects.values_list("pk", flat=True)
    )
