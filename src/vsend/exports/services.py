"""Ask for a file, make it in a background job, and drop it once it has expired."""

import hashlib
import json
import logging
from datetime import timedelta
from time import perf_counter
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from vsend.exports.models import Export, Kind, Status
from vsend.jobs.queue import enqueue

log = logging.getLogger(__name__)


UNFINISHED = (Status.QUEUED, Status.RUNNING)


def give_up_after() -> timedelta:
    """An export still unfinished after this has been lost (every attempt timed out)."""
    return timedelta(seconds=settings.VSEND_JOB_TIMEOUT_SECONDS * 3 + 120)


def is_lost(export: Export) -> bool:
    return export.status in UNFINISHED and export.created_at <= timezone.now() - give_up_after()


def _key(version: Any, params: dict[str, Any]) -> str:
    raw = json.dumps([version, params], sort_keys=True, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def request_export(
    *, user: Any, kind: Kind, object_id: int, filename: str, version: Any, params: dict[str, Any]
) -> Export:
    """The export for this request: the one already asked for (however often the button is
    pressed), or a new one, queued. The caller has checked the user may see what it is about."""
    now = timezone.now()
    lookup = {"requested_by": user, "kind": kind, "object_id": object_id}
    key = _key(version, params)
    # An expired or failed file is never handed out: asking again makes a new one.
    earlier = Export.objects.filter(**lookup, key=key)
    earlier.filter(expires_at__lte=now).delete()
    earlier.filter(status=Status.FAILED).delete()
    earlier.filter(created_at__lte=now - give_up_after(), status__in=UNFINISHED).delete()
    try:
        with transaction.atomic():
            export, created = Export.objects.get_or_create(
                **lookup,
                key=key,
                defaults={
                    "params": params,
                    "filename": filename,
                    "expires_at": now + timedelta(minutes=settings.VSEND_DOWNLOAD_MINUTES),
                },
            )
    except IntegrityError:  # the same request, a moment before, from another worker
        export, created = Export.objects.get(**lookup, key=key), False
    if created:
        enqueue("exports.build", str(export.pk))
        export.refresh_from_db()
    return export


def build_export(export_id: str) -> None:
    from vsend.exports.builders import BUILDERS

    export = Export.objects.select_related("requested_by").filter(pk=export_id).first()
    if export is None or export.status == Status.READY:
        return  # expired and deleted, or made already by an earlier delivery of the same job
    Export.objects.filter(pk=export.pk).update(status=Status.RUNNING)
    started = perf_counter()
    content = BUILDERS[export.kind](export)
    Export.objects.filter(pk=export.pk).update(
        status=Status.READY,
        content=content,
        size=len(content),
        seconds=round(perf_counter() - started, 3),
        finished_at=timezone.now(),
        error="",
    )


def export_failed(export_id: str) -> None:
    Export.objects.filter(pk=export_id).update(
        status=Status.FAILED,
        finished_at=timezone.now(),
        error="The file could not be made",
    )


def delete_expired() -> int:
    deleted, _ = Export.objects.filter(expires_at__lte=timezone.now()).delete()
    if deleted:
        log.info("Deleted %s expired downloads", deleted)
    return deleted
