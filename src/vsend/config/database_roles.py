"""Two PostgreSQL roles, so the application cannot rewrite its own audit trail.

The *owner* role (DATABASE_MIGRATE_URL) owns the tables: `vsend migrate` runs as it. The
*application* role (DATABASE_URL) runs the site, the API and the jobs. It gets ordinary rights
on every table but only SELECT and INSERT on the append-only tables, and owns nothing, so it
cannot UPDATE, DELETE or TRUNCATE audit rows, nor disable or drop the triggers that refuse
changes, nor drop the table. A table's owner can always do all of that, which is why the
application must not be it.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import dj_database_url
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

# Tables the application may only read and add to.
APPEND_ONLY_TABLES = ("audit_auditevent",)
ORDINARY_TABLE_RIGHTS = "SELECT, INSERT, UPDATE, DELETE"
APPEND_ONLY_RIGHTS = "SELECT, INSERT"


def owner_settings() -> dict[str, Any] | None:
    """The default database's settings with the owner's credentials, or None if not set."""
    url = settings.DATABASE_MIGRATE_URL
    if not url:
        return None
    app = connections.settings[DEFAULT_DB_ALIAS]
    owner = dj_database_url.parse(url)
    if owner["ENGINE"] != app["ENGINE"] or any(
        str(owner.get(key) or "") != str(app.get(key) or "") for key in ("NAME", "HOST", "PORT")
    ):
        raise ImproperlyConfigured(
            "DATABASE_MIGRATE_URL must name the same database, host and port as DATABASE_URL "
            "(only the role and password differ)"
        )
    return {**app, "USER": owner["USER"], "PASSWORD": owner["PASSWORD"]}


@contextmanager
def connected_as_owner() -> Iterator[BaseDatabaseWrapper]:
    """The default connection, reconnected as the owner role for the duration."""
    owner = owner_settings()
    connection = connections[DEFAULT_DB_ALIAS]
    if owner is None:
        yield connection
        return
    original = connection.settings_dict
    connection.close()
    connection.settings_dict = owner
    try:
        yield connection
    finally:
        connection.close()
        connection.settings_dict = original


def application_role() -> str:
    return str(connections.settings[DEFAULT_DB_ALIAS].get("USER") or "")


def grant_statements(connection: BaseDatabaseWrapper, role: str) -> list[str]:
    """What the owner runs so the application role has exactly its rights (PostgreSQL)."""
    quote = connection.ops.quote_name
    who = quote(role)
    statements = [
        f"GRANT USAGE ON SCHEMA public TO {who}",
        f"GRANT {ORDINARY_TABLE_RIGHTS} ON ALL TABLES IN SCHEMA public TO {who}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {who}",
        # Tables the owner makes later start with ordinary rights; append-only ones are
        # narrowed again below, which `vsend migrate` repeats after every run.
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT {ORDINARY_TABLE_RIGHTS} ON TABLES "
        f"TO {who}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {who}",
    ]
    for table in APPEND_ONLY_TABLES:
        statements += [
            f"REVOKE ALL ON {quote(table)} FROM {who}",
            f"GRANT {APPEND_ONLY_RIGHTS} ON {quote(table)} TO {who}",
        ]
    return statements


def grant_application_role(connection: BaseDatabaseWrapper, role: str) -> list[str]:
    """Run the grants as the connection's role (the owner). Returns what was run."""
    if connection.vendor != "postgresql":
        return []
    statements = grant_statements(connection, role)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
    return statements
