from django.db import models


class WorkerCheck(models.Model):
    """A no-op job's own record of its runs: shows a worker is taking jobs (`vsend jobcheck`)."""

    label = models.CharField(max_length=100, unique=True)
    started = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.label}: {self.completed} of {self.started}"
