"""Forms that create something are submitted once (see models.Submission).

The page puts `once_input()` in the form; the view passes the work to `submit_once`. The token
row is inserted in the same transaction as the record it creates, so either both exist or
neither; a second post with the same token waits for the first (PostgreSQL's unique index)
and then goes where the first went.
"""

import re
import secrets
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from markupsafe import Markup

from vsend.submissions.models import Submission

FIELD = "submission_token"
TOKEN_FORMAT = re.compile(r"[A-Za-z0-9_-]{32,64}")
KEPT_FOR = timedelta(days=2)


def posted_token(request: HttpRequest) -> str | None:
    token = request.POST.get(FIELD, "") if request.method == "POST" else ""
    return token if TOKEN_FORMAT.fullmatch(token) else None


def once_input(request: HttpRequest) -> Markup:
    """The hidden field: the token already posted (a form shown again with errors keeps it),
    or a new one."""
    token = posted_token(request) or secrets.token_urlsafe(32)
    return Markup('<input type="hidden" name="{}" value="{}">').format(FIELD, token)


class AlreadySubmitted(Exception):
    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


def earlier_result(request: HttpRequest) -> str | None:
    """Where this form's first post led, if it was posted before."""
    token, user_id = posted_token(request), request.user.pk
    if token is None or user_id is None:
        return None
    first = Submission.objects.filter(token=token, user_id=user_id).first()
    return first.result_url if first is not None and first.result_url else None


def submit_once(request: HttpRequest, work: Callable[[], str]) -> str:
    """Run `work` (which creates something and returns the address to go to next) unless this
    form's token was used already; then raise AlreadySubmitted with the first address.

    A post without a token (a page from before tokens, a script) is not protected; the
    record's own constraints still apply.
    """
    token, user_id = posted_token(request), request.user.pk
    if token is None or user_id is None:
        return work()
    with transaction.atomic():
        try:
            with transaction.atomic():
                claim = Submission.objects.create(token=token, user_id=user_id)
        except IntegrityError:
            first = Submission.objects.filter(token=token, user_id=user_id).first()
            if first is not None and first.result_url:
                raise AlreadySubmitted(first.result_url) from None
            return work()  # another user's token: never theirs to follow
        url = work()
        Submission.objects.filter(pk=claim.pk).update(result_url=url)
    Submission.objects.filter(created_at__lt=timezone.now() - KEPT_FOR).delete()
    return url
