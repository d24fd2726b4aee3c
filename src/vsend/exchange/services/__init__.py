"""Register imports from upload to preview: reading the file, the column mapping (confirmed
once per setting and used again), and the plan a preview shows."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from vsend.audit.models import Action
from vsend.audit.services import Actor, record
from vsend.exchange import columns, ctf, reading
from vsend.exchange.models import ColumnMapping, ImportStatus, RegisterImport, Source
from vsend.exchange.records import read_rows
from vsend.exchange.selectors.plan import Plan, plan_records
from vsend.organisations.models import Setting

# Imports with more rows than this are applied by a background job, with a progress page.
IN_REQUEST_ROWS = 500


def remembered(setting: Setting) -> dict[str, str]:
    saved = ColumnMapping.objects.filter(setting=setting).first()
    return dict(saved.mapping) if saved else {}


def proposed_mapping(setting: Setting, headers: list[str]) -> dict[str, str]:
    """The setting's remembered mapping where its columns are in the file, else recognition."""
    mapping = columns.recognise(headers)
    for field, header in remembered(setting).items():
        if header in headers:
            mapping[field] = header
    return mapping


def mapping_is_complete(setting: Setting, headers: list[str]) -> bool:
    """The remembered mapping covers this file: every column it names is there."""
    saved = remembered(setting)
    return (
        bool(saved)
        and all(h in headers for h in saved.values())
        and all(f in saved for f in columns.REQUIRED)
    )


def start_import(*, user: Any, setting: Setting, file_name: str, data: bytes) -> RegisterImport:
    """Read an upload and keep it for its preview; reading.UnreadableFile (or ctf.CTFError)
    if it cannot be read."""
    RegisterImport.objects.filter(expires_at__lt=timezone.now(), applied_at__isnull=True).delete()
    RegisterImport.objects.filter(
        user=user, applied_at__isnull=True, status__in=[ImportStatus.MAPPING, ImportStatus.READY]
    ).delete()
    if data.lstrip()[:1] == b"<" or data.startswith(b"\xef\xbb\xbf<"):
        pupils, problems, notes = ctf.read_ctf(data, today=timezone.localdate())
        return RegisterImport.objects.create(
            user=user,
            setting=setting,
            source=Source.CTF,
            file_name=file_name[:200],
            records=pupils,
            report={"problems": problems, "notes": notes, "rows": len(pupils) + len(problems)},
            status=ImportStatus.READY,
        )
    source, table = reading.read_register(data, file_name)
    ready = mapping_is_complete(setting, table.headers)
    imp = RegisterImport(
        user=user,
        setting=setting,
        source=source,
        file_name=file_name[:200],
        headers=table.headers,
        rows=table.rows,
        mapping=remembered(setting) if ready else proposed_mapping(setting, table.headers),
        status=ImportStatus.READY if ready else ImportStatus.MAPPING,
        report={"rows": len(table.rows)},
    )
    if ready:
        _read(imp)
    imp.save()
    return imp


def _read(imp: RegisterImport) -> None:
    """Read the rows through the mapping once; the preview and the confirmation use them."""
    imp.records, problems = read_rows(
        imp.rows, imp.headers, imp.mapping, today=timezone.localdate()
    )
    imp.report = {**imp.report, "problems": problems}


def confirm_mapping(
    *, actor: Actor, imp: RegisterImport, mapping: dict[str, str]
) -> RegisterImport:
    """Use this mapping for the upload and remember it for the setting."""
    with transaction.atomic():
        ColumnMapping.objects.update_or_create(
            setting=imp.setting,
            defaults={
                "mapping": mapping,
                "confirmed_by": actor.user,
                "confirmed_at": timezone.now(),
            },
        )
        imp.mapping = mapping
        imp.status = ImportStatus.READY
        _read(imp)
        imp.save(update_fields=["mapping", "status", "records", "report"])
        record(
            actor,
            Action.UPDATE,
            object_type="column_mapping",
            object_id=imp.setting_id,
            authority_id=imp.setting.authority_id,
            summary=f"Register columns confirmed for {imp.setting.name}",
            detail={"mapping": mapping},
        )
    return imp


def pending_import(user: Any, setting: Setting, pk: int) -> RegisterImport | None:
    """The user's own unexpired upload for this setting (applied ones too, for their result)."""
    return (
        RegisterImport.objects.filter(
            pk=pk, user=user, setting=setting, expires_at__gte=timezone.now()
        )
        .select_related("setting")
        .defer("rows")  # loaded only if the columns are confirmed again
        .first()
    )


def plan_import(imp: RegisterImport, *, today: date | None = None) -> Plan:
    """What confirming would do, compared with the children held now."""
    records, problems = list(imp.records), list(imp.report.get("problems", []))
    plan = plan_records(imp.setting, records, whole_register=imp.source != Source.CTF)
    plan.problems = problems + plan.problems
    plan.notes = list(imp.report.get("notes", []))
    return plan
