#!/usr/bin/env python3
"""Back up vsend's PostgreSQL database and prove the backup restores.

    DATABASE_URL=postgres://... python scripts/restore_check.py [--dump FILE] [--keep]

1. `pg_dump --format=custom` of DATABASE_URL (or use an existing dump with --dump FILE);
2. `pg_restore` into a new database on the same server (vsend_restore_<time>);
3. `vsend check` against the restored database;
4. every table's row count, in the original and the restored database, must be equal;
5. `vsend audit_verify` on the restored database, which must end at the same chain head
   (row number and hash) as the original's: the same audit trail, unbroken.

Exits 0 when every check passes, 1 otherwise; the new database is dropped unless --keep.
Needs pg_dump and pg_restore of the server's major version or later (README, Backups).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

HEAD = re.compile(r"Head (\d+):([0-9a-f]{64})")


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise SystemExit(f"{name} is not installed (PostgreSQL's client programs)")
    return path


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def table_counts(url: str) -> dict[str, int]:
    """Rows in every table of the public schema."""
    with psycopg.connect(url) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        counts = {}
        for table in tables:
            ident = psycopg.sql.Identifier(table)
            query = psycopg.sql.SQL("SELECT count(*) FROM {}").format(ident)
            counts[table] = conn.execute(query).fetchone()[0]  # type: ignore[index]
    return counts


def compare_counts(before: dict[str, int], after: dict[str, int]) -> list[str]:
    """What differs between two sets of table counts, in words (nothing when they agree)."""
    problems = []
    for table in sorted(set(before) | set(after)):
        if table not in after:
            problems.append(f"{table}: missing from the restored database")
        elif table not in before:
            problems.append(f"{table}: only in the restored database")
        elif before[table] != after[table]:
            problems.append(f"{table}: {before[table]} rows, {after[table]} restored")
    return problems


def vsend(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url}
    env.pop("DATABASE_MIGRATE_URL", None)
    command = [shutil.which("vsend") or str(Path(sys.executable).parent / "vsend"), *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)  # noqa: S603


def audit_head(url: str) -> tuple[str, str] | None:
    done = vsend(url, "audit_verify")
    match = HEAD.search(done.stdout)
    if done.returncode != 0 or not match:
        print(f"  audit_verify failed: {done.stdout.strip()} {done.stderr.strip()}")
        return None
    return match.group(1), match.group(2)


def run(source: str, dump: Path | None, keep: bool) -> int:
    problems: list[str] = []
    workdir = Path(tempfile.mkdtemp(prefix="vsend-backup-"))
    if dump is None:
        dump = workdir / "vsend.dump"
        started = time.perf_counter()
        subprocess.run(  # noqa: S603
            [tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(dump), source],
            check=True,
            timeout=3600,
        )
        print(
            f"Dumped to {dump} ({dump.stat().st_size:,} bytes, {time.perf_counter() - started:.1f} s)"
        )
    name = f"vsend_restore_{time.strftime('%Y%m%d%H%M%S')}_{os.getpid()}"
    admin = with_database(source, "postgres")
    target = with_database(source, name)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))
    try:
        started = time.perf_counter()
        subprocess.run(  # noqa: S603
            [tool("pg_restore"), "--no-owner", "--exit-on-error", "--dbname", target, str(dump)],
            check=True,
            timeout=3600,
        )
        print(f"Restored into {name} ({time.perf_counter() - started:.1f} s)")

        check = vsend(target, "check")
        print(f"vsend check: {'passed' if check.returncode == 0 else 'FAILED'}")
        if check.returncode != 0:
            problems.append(f"vsend check failed: {check.stdout}{check.stderr}".strip())

        before, after = table_counts(source), table_counts(target)
        differences = compare_counts(before, after)
        print(
            f"Row counts: {len(before)} tables, {sum(before.values()):,} rows; "
            + ("the same after restoring" if not differences else "DIFFERENT")
        )
        problems += differences

        original, restored = audit_head(source), audit_head(target)
        print(f"Audit trail: original head {original}, restored head {restored}")
        if original is None or restored is None or original != restored:
            problems.append("the restored audit trail is not the original's, or is broken")
    finally:
        if keep:
            print(f"Kept the restored database: {name}")
        else:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(
                    psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        psycopg.sql.Identifier(name)
                    )
                )
        shutil.rmtree(workdir, ignore_errors=True)
    for problem in problems:
        print(f"PROBLEM: {problem}")
    print("Restore check passed." if not problems else "Restore check FAILED.")
    return 0 if not problems else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dump", type=Path, help="check this dump instead of making one")
    parser.add_argument("--keep", action="store_true", help="keep the restored database")
    args = parser.parse_args()
    source = os.environ.get("DATABASE_URL", "")
    if not source.startswith(("postgres://", "postgresql://")):
        print("Set DATABASE_URL to the PostgreSQL database to back up.", file=sys.stderr)
        return 2
    return run(source, args.dump, args.keep)


if __name__ == "__main__":
    sys.exit(main())
