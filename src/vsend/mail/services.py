"""Email: every message is built and sent by a background job (the `mail.send` job).

The queue holds only the kind of message and the id of what it is about; the job builds the
message when it runs, so neither a link's secret nor anyone's details wait in the queue, and a
message about something no longer current (a cancelled invitation, say) is not sent at all.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)

# kind -> (the function that builds the message for an id, returning None when there is nothing
# to send any more; and the function told once the mail server has accepted it).
MESSAGES: dict[str, tuple[str, str | None]] = {
    "invitation": (
        "vsend.accounts.invitations.invitation_email",
        "vsend.accounts.invitations.invitation_sent",
    ),
    "password_reset": ("vsend.accounts.password_reset.reset_email", None),
    "family_request": ("vsend.profiles.family.request_email", None),
    "statutory_reminder": (
        "vsend.statutory.services.reminders.reminder_email",
        "vsend.statutory.services.reminders.reminder_sent",
    ),
}


class UnknownMessage(ValueError):
    pass


class Builder(Protocol):
    def __call__(self, pk: int) -> EmailMultiAlternatives | None: ...


def send_later(kind: str, pk: int) -> None:
    """Queue a message. With the database as the queue, it is queued with the caller's
    transaction: if that rolls back, nothing is sent."""
    from vsend.jobs.queue import enqueue

    if kind not in MESSAGES:
        raise UnknownMessage(kind)
    enqueue("mail.send", kind, pk)


def send(kind: str, pk: int) -> bool:
    """The `mail.send` job: build the message and send it. A failure to send raises, so the
    queue tries again later."""
    if kind not in MESSAGES:
        raise UnknownMessage(kind)
    build, after = MESSAGES[kind]
    builder: Builder = import_string(build)
    message = builder(pk)
    if message is None:
        log.info("No %s message to send for %s: it is no longer current", kind, pk)
        return False
    message.send()
    if after:
        import_string(after)(pk)
    return True


def send_failed(kind: str, pk: int) -> None:
    """Every attempt failed: the sender sees it on the People page (the invitation shows "Not
    yet" sent) and can send it again; the log says why."""
    log.error("Could not send the %s message for %s after every attempt", kind, pk)


def language_for(user: Any, *, family: bool) -> str:
    """The language a message to this person is written in: for a parent, carer or young person
    the one they chose on their account page, if the authority offers it; otherwise (and for
    staff, whose pages are in English) the authority's default."""
    offered = [code for code, _name in settings.LANGUAGES]
    chosen = getattr(user, "language", "") if family and user is not None else ""
    return chosen if chosen in offered else offered[0]


@contextmanager
def written_for(user: Any, *, family: bool) -> Iterator[None]:
    """Build a message (its subject and both bodies) in its recipient's language, whatever
    language the page or job that queued it was in: `with written_for(user, family=True):`."""
    with translation.override(language_for(user, family=family)):
        yield


def is_family_member(user: Any) -> bool:
    """Someone who uses vsend only as a parent, carer or young person (no staff role)."""
    from vsend.accounts.roles import Role

    roles = {m.role for m in user.active_memberships()}
    return bool(roles) and roles <= {Role.PARENT, Role.YOUNG_PERSON}


def compose(
    *, to: str, subject: str, template: str, context: dict[str, Any]
) -> EmailMultiAlternatives:
    """A message with a plain-text body and the same words as HTML, from mail/<template>.txt
    and mail/<template>.html."""
    context = {
        "service_name": settings.VSEND_SERVICE_NAME,
        "subject": subject,
        "language_code": translation.get_language() or settings.LANGUAGE_CODE,
        **context,
    }
    text = render_to_string(f"mail/{template}.txt", context)
    html = render_to_string(f"mail/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]
    )
    message.attach_alternative(html, "text/html")
    return message


def absolute(path: str) -> str:
    return settings.VSEND_BASE_URL + path
