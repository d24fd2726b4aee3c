"""The background job that applies a large register import (see services.IN_REQUEST_ROWS)."""

from datetime import timedelta

from django.utils import timezone

from vsend.audit.services import Actor
from vsend.exchange.models import ImportStatus, RegisterImport
from vsend.exchange.services.apply import ImportRefused, apply_import


def apply_in_background(import_id: int) -> None:
    imp = RegisterImport.objects.filter(pk=import_id).select_related("user").first()
    if imp is None or imp.applied_at is not None:
        return  # expired, or applied by an earlier delivery of the same job
    RegisterImport.objects.filter(pk=imp.pk, applied_at__isnull=True).update(
        status=ImportStatus.RUNNING
    )
    try:
        apply_import(actor=Actor(user=imp.user, path="job:exchange.apply"), pk=imp.pk)
    except ImportRefused as exc:
        RegisterImport.objects.filter(pk=imp.pk, applied_at__isnull=True).update(
            status=ImportStatus.FAILED, error=str(exc)[:300]
        )


def apply_failed(import_id: int) -> None:
    RegisterImport.objects.filter(pk=import_id, applied_at__isnull=True).update(
        status=ImportStatus.FAILED,
        error="The register could not be loaded: nothing has changed. Try again later.",
        expires_at=timezone.now() + timedelta(hours=1),
    )
