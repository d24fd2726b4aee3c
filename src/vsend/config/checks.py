"""`vsend check --deploy`: warns when the application's database role could change the audit
trail (PostgreSQL; SQLite has no roles) and when production has no mail server."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from vsend.config.database_roles import APPEND_ONLY_TABLES

HINT = (
    "Run vsend as a role that owns nothing and has only SELECT and INSERT on the audit trail: "
    "set DATABASE_MIGRATE_URL to the owner role and run `vsend migrate` (README, Deploying)."
)
PRIVILEGES = """
SELECT pg_has_role(current_user, c.relowner, 'USAGE'),
       r.rolsuper,
       has_table_privilege(current_user, c.oid, 'UPDATE'),
       has_table_privilege(current_user, c.oid, 'DELETE'),
       has_table_privilege(current_user, c.oid, 'TRUNCATE'),
       current_user
FROM pg_class c JOIN pg_roles r ON r.rolname = current_user
WHERE c.oid = to_regclass(%s)
"""
TRIGGERS = """
SELECT count(*) FROM pg_trigger
WHERE tgrelid = to_regclass(%s) AND NOT tgisinternal AND tgenabled <> 'D'
"""


@register(Tags.security, deploy=True)
def audit_trail_protected(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        return []
    messages: list[CheckMessage] = []
    try:
        with connection.cursor() as cursor:
            for table in APPEND_ONLY_TABLES:
                cursor.execute(PRIVILEGES, [table])
                row = cursor.fetchone()
                if row is None:
                    continue  # not migrated yet
                owns, superuser, update, delete, truncate, role = row
                cursor.execute(TRIGGERS, [table])
                (triggers,) = cursor.fetchone()
                messages += _findings(table, role, owns, superuser, (update, delete, truncate))
                if triggers < 2:
                    messages.append(
                        Warning(
                            f"The triggers that refuse changes to {table} are missing or disabled.",
                            hint="Run `vsend migrate` as the owner role to restore them.",
                            id="vsend.W004",
                        )
                    )
    except DatabaseError as error:
        return [
            Warning(
                f"Could not check the database role's rights on the audit trail: {error}",
                id="vsend.W005",
            )
        ]
    return messages


def _findings(
    table: str, role: str, owns: bool, superuser: bool, rights: tuple[bool, bool, bool]
) -> list[CheckMessage]:
    if superuser:
        return [
            Warning(
                f"vsend connects to the database as {role}, a superuser, which can change or "
                f"remove anything in {table}.",
                hint=HINT,
                id="vsend.W001",
            )
        ]
    if owns:
        return [
            Warning(
                f"vsend's database role {role} owns {table}, so it can disable or drop the "
                "triggers that keep the audit trail append-only, or empty it.",
                hint=HINT,
                id="vsend.W002",
            )
        ]
    granted = [
        name for name, has in zip(("UPDATE", "DELETE", "TRUNCATE"), rights, strict=True) if has
    ]
    if granted:
        return [
            Warning(
                f"vsend's database role {role} has {', '.join(granted)} on {table}.",
                hint=HINT,
                id="vsend.W003",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def email_goes_out(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """In production, invitations and password resets must reach people: without a mail server
    they would only be written to files on the server."""
    if not settings.PRODUCTION or settings.EMAIL_HOST:
        return []
    return [
        Warning(
            "No mail server is set: invitations and password reset links are written to files "
            f"under {settings.EMAIL_FILE_PATH} instead of being sent.",
            hint="Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, "
            "DEFAULT_FROM_EMAIL) as the README's Deploying section says.",
            id="vsend.W006",
        )
    ]
