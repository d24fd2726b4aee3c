"""A form that creates something carries a one-time token; its first use is recorded here
with where it led, so a second post of the same form (a double click, a retry after a
timeout) goes to the same place instead of creating another record."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Submission(models.Model):
    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    result_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"Form submitted by user {self.user_id} at {self.created_at:%Y-%m-%d %H:%M}"
