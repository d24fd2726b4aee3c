"""Stored per-setting aggregates and the outbox of changes they react to (ADR 25)."""

from django.db import models
from django.utils import timezone


class SettingAggregate(models.Model):
    """One aggregate kind's figures for one setting as at one date (a term's end, or today).

    `values` counts every child enrolled at the setting on that date; `duplicates` counts those
    of them whose main registration is at another setting, so that sums over settings
    (localities, the authority) count each child once: sum(values) - sum(duplicates).
    Every value is an additive count, so any group of settings is a plain sum.
    """

    kind = models.CharField(max_length=40)
    authority = models.ForeignKey(
        "organisations.LocalAuthority", on_delete=models.CASCADE, related_name="+"
    )
    setting = models.ForeignKey("organisations.Setting", on_delete=models.CASCADE, related_name="+")
    as_at = models.DateField()
    values = models.JSONField(default=dict)
    duplicates = models.JSONField(default=dict)
    computed_at = models.DateTimeField(default=timezone.now)
    stamp = models.BigIntegerField(default=0)  # nanoseconds at computation: what memos key on

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "setting", "as_at"], name="one_aggregate_per_setting_date"
            )
        ]
        indexes = [models.Index(fields=["kind", "authority", "as_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.setting_id} {self.as_at}"


class Event(models.Model):
    """The outbox: a service writes one in the same transaction as its change, saying what
    changed; handlers (the stored aggregates) react after commit, or the job does later."""

    kind = models.CharField(max_length=60)  # for example "profile.finalised"
    authority = models.ForeignKey(
        "organisations.LocalAuthority", on_delete=models.CASCADE, related_name="+"
    )
    child_id = models.BigIntegerField(null=True, blank=True)
    setting_ids = models.JSONField(default=list)  # settings named by the change, if any
    since = models.DateField(null=True, blank=True)  # the earliest date whose figures change
    created_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.kind} ({self.authority_id})"
