"""`vsend migrate`: Django's migrate, run as the database owner when DATABASE_MIGRATE_URL is
set, then granting the application's role (DATABASE_URL) exactly its rights."""

from typing import Any

from django.core.management.base import CommandError
from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import DEFAULT_DB_ALIAS

from vsend.config import database_roles


class Command(DjangoMigrate):
    help = (
        "Apply migrations. With DATABASE_MIGRATE_URL set, they run as that (owner) role and the "
        "role in DATABASE_URL is then granted ordinary rights on every table, and only SELECT "
        "and INSERT on the audit trail."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["database"] != DEFAULT_DB_ALIAS or database_roles.owner_settings() is None:
            super().handle(*args, **options)
            return
        app_role = database_roles.application_role()
        with database_roles.connected_as_owner() as connection:
            owner_role = connection.settings_dict["USER"]
            if not app_role or app_role == owner_role:
                raise CommandError(
                    "DATABASE_URL and DATABASE_MIGRATE_URL must use different roles: the "
                    "application's role must not own the tables"
                )
            super().handle(*args, **options)
            if connection.vendor == "postgresql":
                database_roles.grant_application_role(connection, app_role)
                if options["verbosity"] >= 1:
                    self.stdout.write(
                        f"Granted {app_role} its rights (the audit trail: SELECT and INSERT only)."
                    )
