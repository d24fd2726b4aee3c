"""A setting's SEN register coming in (CSV, Excel or a Common Transfer File), the column
mapping each setting confirmed once, and the census SEN history files carry with a child."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from vsend.children.census import NeedType, SENProvision

IMPORT_KEPT_FOR = timedelta(hours=2)


def _expiry() -> "object":
    return timezone.now() + IMPORT_KEPT_FOR


class Source(models.TextChoices):
    CSV = "csv", "CSV file"
    XLSX = "xlsx", "Excel workbook"
    CTF = "ctf", "Common Transfer File"


class ImportStatus(models.TextChoices):
    MAPPING = "mapping", "Waiting for its columns to be confirmed"
    READY = "ready", "Ready to check"
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being loaded"
    APPLIED = "applied", "Loaded"
    FAILED = "failed", "Could not be loaded"


class RegisterImport(models.Model):
    """An upload between its preview and its confirmation, kept for its uploader only.

    The rows are kept as read (text cells) so a changed column mapping can be applied to them
    again; they are dropped once the import is applied or has expired.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    setting = models.ForeignKey(
        "organisations.Setting", on_delete=models.CASCADE, related_name="register_imports"
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    file_name = models.CharField(max_length=200)
    headers = models.JSONField(default=list)
    rows = models.JSONField(default=list)  # [row number, [cells]] for CSV and Excel
    records = models.JSONField(default=list)  # a CTF's pupils, read
    mapping = models.JSONField(default=dict)  # field -> header
    report = models.JSONField(default=dict)  # problems found while reading the file
    status = models.CharField(max_length=10, choices=ImportStatus.choices)
    end_missing = models.BooleanField(default=False)  # end enrolments of children not in file
    counts = models.JSONField(default=dict)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_expiry, db_index=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Register import {self.file_name}"

    @property
    def row_count(self) -> int:
        """Rows (or a CTF's pupils) read from the file, without loading them."""
        return int(self.report.get("rows", 0))


class ColumnMapping(models.Model):
    """The columns a setting's register export uses, confirmed once and used again."""

    setting = models.OneToOneField(
        "organisations.Setting", on_delete=models.CASCADE, related_name="column_mapping"
    )
    mapping = models.JSONField(default=dict)  # field -> header
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Column mapping for {self.setting}"


class SENStatusPeriod(models.Model):
    """The child's census SEN provision from a date, as a register or CTF records it."""

    child = models.ForeignKey(
        "children.Child", on_delete=models.CASCADE, related_name="sen_status_periods"
    )
    provision = models.CharField(max_length=1, choices=SENProvision.choices)
    started_on = models.DateField(null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["child", "started_on", "id"]
        indexes = [models.Index(fields=["child", "started_on"])]

    def __str__(self) -> str:
        return f"{self.child_id}: {self.provision} from {self.started_on}"


class SENNeedPeriod(models.Model):
    """A type of need with its rank (1 primary, 2 secondary) and dates, as a CTF carries it."""

    child = models.ForeignKey(
        "children.Child", on_delete=models.CASCADE, related_name="sen_need_periods"
    )
    need_type = models.CharField(max_length=4, choices=NeedType.choices)
    rank = models.PositiveSmallIntegerField()
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["child", "rank", "started_on", "id"]

    def __str__(self) -> str:
        return f"{self.child_id}: {self.need_type} rank {self.rank}"
