"""Asking for an export and downloading it: the same scope checks and audit as the pages."""

from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify

from vsend.audit.models import Action
from vsend.audit.services import Actor, record
from vsend.exports import services
from vsend.exports.models import Export, Kind, Status
from vsend.insights import cache, dashboards
from vsend.insights.forms import InsightFilterForm
from vsend.profiles import selectors


def request_profile_pdf(actor: Actor, pk: int) -> Export:
    profile = selectors.get_profile_for(actor, pk)
    return services.request_export(
        user=actor.user,
        kind=Kind.PROFILE_PDF,
        object_id=profile.pk,
        filename=f"profile-{profile.child_id}-{profile.number}.pdf",
        version=(profile.lock_version, profile.child.version, timezone.localdate()),
        params={},
    )


def request_governors_pdf(actor: Actor, pk: int, query: dict[str, list[str]]) -> Export:
    setting = dashboards.setting_for(actor, pk)
    return services.request_export(
        user=actor.user,
        kind=Kind.GOVERNORS_PDF,
        object_id=setting.pk,
        filename=f"{slugify(setting.name)}-sen-summary.pdf",
        version=(cache.version(setting.authority_id), timezone.localdate()),
        params={k: v[:5] for k, v in query.items() if k in InsightFilterForm.base_fields},
    )


def export_for(user: Any, export_id: Any) -> Export:
    """The user's own export, unexpired; anyone else's is a 404."""
    export = Export.objects.filter(
        pk=export_id, requested_by=user, expires_at__gt=timezone.now()
    ).first()
    if export is None:
        raise Http404("No download found")
    if services.is_lost(export):
        services.export_failed(str(export.pk))
        export.refresh_from_db()
    return export


def open_export(actor: Actor, export: Export) -> bytes:
    """The file, once the user is checked again against what it is about, and audited as the
    direct download was."""
    if export.status != Status.READY or export.content is None:
        raise Http404("The file is not ready")
    if export.kind == Kind.PROFILE_PDF:
        selectors.open_profile(actor, int(export.object_id), "PDF downloaded", page_view=False)
    elif export.kind == Kind.PROVISION_MAP_PDF:
        from vsend.provision.exports import open_child_map_pdf

        open_child_map_pdf(actor, export)
    else:
        setting = dashboards.setting_for(actor, int(export.object_id))
        record(
            actor,
            Action.VIEW,
            object_type="setting_insight",
            object_id=setting.pk,
            authority_id=setting.authority_id,
            summary="Governors' SEN summary downloaded",
        )
    return bytes(export.content)
