from django.db import models
from django.utils import timezone


class DataVersion(models.Model):
    """Bumped by every write that changes an authority's dashboard figures; cached figures are
    keyed by it, so a change is seen at once by every process."""

    authority = models.OneToOneField(
        "organisations.LocalAuthority", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.authority_id}: {self.version}"


class BenchmarkSharing(models.Model):
    """An authority's choice to show its published (suppressed) figures to the other
    authorities that share theirs, on the cross-authority view."""

    authority = models.OneToOneField(
        "organisations.LocalAuthority",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="benchmark_sharing",
    )
    shared_since = models.DateTimeField(default=timezone.now)
    chosen_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.authority_id} shares its published figures"
