"""`vsend database_grants`: grant the application's role its rights, or print the SQL."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vsend.config import database_roles


class Command(BaseCommand):
    help = (
        "Grant the role in DATABASE_URL ordinary rights on every table and only SELECT and "
        "INSERT on the audit trail, connecting as DATABASE_MIGRATE_URL's owner role. With "
        "--sql, print the statements for a database administrator instead. (`vsend migrate` "
        "does this itself when DATABASE_MIGRATE_URL is set.)"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sql", action="store_true", help="print the SQL, run nothing")
        parser.add_argument("--role", help="the application's role (default: DATABASE_URL's)")

    def handle(self, *args: Any, **options: Any) -> None:
        role = options["role"] or database_roles.application_role()
        if not role:
            raise CommandError("Name the application's role with --role or in DATABASE_URL")
        with database_roles.connected_as_owner() as connection:
            if connection.vendor != "postgresql":
                raise CommandError("Database roles apply to PostgreSQL only")
            if options["sql"]:
                for sql in database_roles.grant_statements(connection, role):
                    self.stdout.write(f"{sql};")
                return
            if connection.settings_dict["USER"] == role:
                raise CommandError(
                    "Set DATABASE_MIGRATE_URL to the owner role: the application's role "
                    "cannot be granted rights by itself"
                )
            database_roles.grant_application_role(connection, role)
            self.stdout.write(f"Granted {role} its rights.")
