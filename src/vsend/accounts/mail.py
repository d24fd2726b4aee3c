"""Emails about a person's own account (password reset), sent through Django's email framework.

Every account email is built by account_email: a plain-text and an HTML body from one
pair of templates (`<template>.txt` and `<template>.html`), saying what the message is for. No
child's personal data is ever put in one.
"""

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from vsend.accounts.models import User


def account_email(
    user: User, subject: str, template: str, context: dict[str, Any]
) -> EmailMultiAlternatives:
    """`template` addressed to the user's own address, ready to send."""
    context = {
        "service_name": settings.VSEND_SERVICE_NAME,
        "user": user,
        "language_code": translation.get_language() or settings.LANGUAGE_CODE,
        **context,
    }
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject=f"{subject} – {settings.VSEND_SERVICE_NAME}",
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    message.attach_alternative(html, "text/html")
    return message
