"""On PostgreSQL the application's role cannot change the audit trail: migrations run as an
owner role (DATABASE_MIGRATE_URL) and the application's role (DATABASE_URL) gets only SELECT
and INSERT on the audit table. The roles and database are made here (trust auth as the suite's
own superuser) and removed afterwards."""

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.conf import settings

from vsend.config.checks import audit_trail_protected

BASE = settings.DATABASES["default"]
POSTGRES = BASE["ENGINE"].endswith("postgresql")
pytestmark = pytest.mark.skipif(not POSTGRES, reason="database roles are PostgreSQL's")


@dataclass
class Roles:
    owner: str
    app: str
    database: str

    def url(self, role: str) -> str:
        return f"postgres://{role}@{BASE['HOST']}:{BASE['PORT'] or 5432}/{self.database}"

    def connect(self, role: str):  # type: ignore[no-untyped-def]
        import psycopg

        return psycopg.connect(self.url(role), autocommit=True)


def _admin():  # type: ignore[no-untyped-def]
    import psycopg

    return psycopg.connect(
        host=BASE["HOST"],
        port=BASE["PORT"] or 5432,
        user=BASE["USER"],
        dbname="postgres",
        password=BASE["PASSWORD"] or None,
        autocommit=True,
    )


@pytest.fixture
def roles() -> Iterator[Roles]:
    suffix = uuid.uuid4().hex[:10]
    made = Roles(f"vsend_owner_{suffix}", f"vsend_app_{suffix}", f"vsend_roles_{suffix}")
    with _admin() as admin:
        admin.execute(f'CREATE ROLE "{made.owner}" LOGIN')
        admin.execute(f'CREATE ROLE "{made.app}" LOGIN')
        admin.execute(f'CREATE DATABASE "{made.database}" OWNER "{made.owner}"')
    try:
        yield made
    finally:
        with _admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{made.database}" WITH (FORCE)')
            admin.execute(f'DROP ROLE IF EXISTS "{made.app}"')
            admin.execute(f'DROP ROLE IF EXISTS "{made.owner}"')


def _vsend(roles: Roles, tmp_path, *args: str, as_role: str, production: bool = False):  # type: ignore[no-untyped-def]
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        DATABASE_URL=roles.url(as_role),
        DATABASE_MIGRATE_URL=roles.url(roles.owner),
        VSEND_DATA_DIR=str(tmp_path),
    )
    if production:
        env.update(
            VSEND_ENV="production",
            SECRET_KEY="x" * 60 + "production-test-key",
            ALLOWED_HOSTS="vsend.example.org",
            EMAIL_HOST="smtp.example.org",
        )
    return subprocess.run(
        [sys.executable, "-m", "vsend.config.cli", *args], env=env, capture_output=True, text=True
    )


FORBIDDEN = [
    "UPDATE audit_auditevent SET summary = 'changed'",
    "DELETE FROM audit_auditevent",
    "TRUNCATE audit_auditevent",
    "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL",
    "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_no_update",
    "DROP TRIGGER audit_no_update ON audit_auditevent",
    "DROP TRIGGER audit_no_delete ON audit_auditevent",
    "ALTER TABLE audit_auditevent ADD COLUMN note text",
    "DROP TABLE audit_auditevent",
    "DROP FUNCTION audit_refuse_change()",
]


def test_as_the_application_role_the_audit_trail_can_only_be_read_and_added_to(roles, tmp_path):
    import psycopg

    migrated = _vsend(roles, tmp_path, "migrate", "--no-input", as_role=roles.app)
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    assert f"Granted {roles.app} its rights" in migrated.stdout

    # The application works as its own role: it writes ordinary rows and audit rows.
    script = (
        "from vsend.audit.services import SYSTEM, record; "
        "from vsend.organisations.models import LocalAuthority; "
        "la = LocalAuthority.objects.create(name='Roles Test', code='999'); "
        "la.name = 'Roles Test Council'; la.save(); "
        "record(SYSTEM, 'view', summary='written by the application role')"
    )
    wrote = _vsend(roles, tmp_path, "shell", "-c", script, as_role=roles.app)
    assert wrote.returncode == 0, wrote.stdout + wrote.stderr

    with roles.connect(roles.app) as app:
        assert app.execute("SELECT current_user").fetchone() == (roles.app,)
        rows = app.execute(
            "SELECT count(*) FROM audit_auditevent WHERE summary = 'written by the application role'"
        ).fetchone()
        assert rows == (1,)
        for sql in FORBIDDEN:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app.execute(sql)
        # Its ordinary tables are its to change.
        app.execute("UPDATE organisations_localauthority SET name = 'Renamed' WHERE code = '999'")
        app.execute("DELETE FROM organisations_localauthority WHERE code = '999'")
        assert app.execute("SELECT count(*) FROM audit_auditevent").fetchone()[0] >= 1

    # The deployment check is clean as the application role and warns as the owner.
    as_app = _vsend(
        roles,
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        as_role=roles.app,
        production=True,
    )
    assert as_app.returncode == 0, as_app.stdout + as_app.stderr
    as_owner = _vsend(roles, tmp_path, "check", "--deploy", as_role=roles.owner, production=True)
    assert "vsend.W002" in as_owner.stderr + as_owner.stdout


def test_migrate_refuses_one_role_for_both(roles, tmp_path):
    same = _vsend(roles, tmp_path, "migrate", "--no-input", as_role=roles.owner)
    assert same.returncode != 0
    assert "must use different roles" in same.stderr


def test_the_deploy_check_warns_when_connected_as_a_superuser(db):
    # The suite itself connects as a superuser that owns everything.
    ids = {message.id for message in audit_trail_protected()}
    assert ids & {"vsend.W001", "vsend.W002"}
