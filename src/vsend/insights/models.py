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
