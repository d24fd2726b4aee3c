"""A file (a PDF) made by a background job for one user, kept for a short while."""

import uuid

from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    PROFILE_PDF = "profile_pdf", "Profile PDF"
    GOVERNORS_PDF = "governors_pdf", "Governors' SEN summary"
    PROVISION_MAP_PDF = "provision_map_pdf", "Costed provision map"


class Status(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being made"
    READY = "ready", "Ready"
    FAILED = "failed", "Could not be made"


class Export(models.Model):
    # The id is in the download's address, so it is random rather than counted.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports"
    )
    object_id = models.BigIntegerField(help_text="The profile or setting the file is about")
    params = models.JSONField(default=dict, blank=True)
    # Same user, same thing, same source version and options: the same export (no duplicates).
    key = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    filename = models.CharField(max_length=200)
    content = models.BinaryField(null=True, blank=True, editable=False)
    size = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(null=True, blank=True, help_text="How long the job took")
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["requested_by", "kind", "object_id", "key"], name="one_export_per_request"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.object_id} ({self.status})"

    @property
    def done(self) -> bool:
        return self.status in (Status.READY, Status.FAILED)
