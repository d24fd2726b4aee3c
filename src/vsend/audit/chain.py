"""The hash chain over audit rows: each row's hash covers its content and the previous row's hash.

Rows join the chain one at a time: appending advances the single chain-head row, which locks it
(PostgreSQL: the row; SQLite: the database for writing) before anything is read, so two requests
appending at once queue behind each other and never fork the chain. The lock is held until the
surrounding transaction commits, so a row that is rolled back never becomes another row's
predecessor.

A row's hash is SHA-256 over its number, its predecessor's hash and the SHA-256 of its content
(chain version 2, ADR 35). The content digest is computed here; the last step needs only the
number and the predecessor, so on PostgreSQL the database finishes it while it advances the head,
and the head, the link and the row are written by one statement. Rows written before version 2
hash their content together with their number and link (version 1); the verifier accepts either.

A row changed afterwards, even by the table's owner with the triggers disabled, no longer
matches its hash; a row removed or inserted out of turn breaks the link to its neighbour.
"""

import hashlib
import ipaddress
import json
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

GENESIS = "0" * 64
READ_ACTION = "view"  # Action.VIEW: someone read a record
CHAIN_VERSION = 2

# The content a row's hash covers, in order. `seq` places the row in the chain.
HASHED_FIELDS = (
    "seq",
    "at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "child_id",
    "authority_id",
    "summary",
    "detail",
    "channel",
    "ip_address",
    "user_agent",
    "path",
    "prev_hash",
)


def normalise_detail(detail: dict[str, Any] | None) -> dict[str, Any]:
    """The detail as the database will give it back: plain JSON values only."""
    return json.loads(json.dumps(detail or {}, default=str))


def _ip(value: str | None) -> str | None:
    """The address as bytes in hex: the same whichever way the database or Python spells it."""
    if not value:
        return None
    try:
        return ipaddress.ip_address(value).packed.hex()
    except ValueError:
        return str(value)


def canonical(row: Any, version: int = CHAIN_VERSION) -> bytes:
    """The bytes hashed for one row (a model instance or anything with the same attributes).
    Version 1 covers every field with the row's number and link; version 2 the content alone."""
    at = row.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    names = HASHED_FIELDS if version == 1 else CONTENT_FIELDS
    values = {
        "v": version,
        **{name: getattr(row, name) for name in names},
        "at": at,
        "ip_address": _ip(row.ip_address),
        "detail": row.detail or {},
    }
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


# Version 2's content: everything but the row's place in the chain.
CONTENT_FIELDS = tuple(name for name in HASHED_FIELDS if name not in ("seq", "prev_hash"))


def content_digest(row: Any) -> str:
    return hashlib.sha256(canonical(row, 2)).hexdigest()


def link_hash(seq: int, prev_hash: str, digest: str) -> str:
    """Version 2: the row's number, its predecessor's hash and its content digest. The same
    expression in SQL is LINK_SQL."""
    return hashlib.sha256(f"{seq}|{prev_hash}|{digest}".encode()).hexdigest()


def row_hash(row: Any) -> str:
    """The hash a row written now gets (version 2)."""
    return link_hash(row.seq, row.prev_hash, content_digest(row))


def legacy_row_hash(row: Any) -> str:
    """The hash of a row written before version 2."""
    return hashlib.sha256(canonical(row, 1)).hexdigest()


def hash_holds(row: Any) -> bool:
    return row.hash in (row_hash(row), legacy_row_hash(row))


# One statement takes the head's lock and reads it. On PostgreSQL the row stays locked until the
# transaction ends, and under READ COMMITTED a writer that waited gets the values its predecessor
# committed. On SQLite the write takes the database's write lock before anything is read.
ADVANCE = (
    "UPDATE audit_chainhead SET seq = seq + 1, prev_hash = last_hash WHERE id = 1"
    " RETURNING seq, last_hash"
)

# link_hash() in SQL: the expressions on the right of SET all see the head as it was, so `seq +
# 1` is the new row's number and `last_hash` its predecessor's hash.
LINK_SQL = (
    "encode(sha256(convert_to((seq + 1)::text || '|' || last_hash || '|' || %s, 'UTF8')), 'hex')"
)

# PostgreSQL: advance the head, keep its old hash as the new row's link, finish the row's hash
# and insert the row, in one statement (and one commit when no transaction is open). A waiting
# writer's UPDATE is re-evaluated on the head its predecessor committed (READ COMMITTED), so
# the SET expressions see the committed number and hash. No head row: nothing is inserted.
APPEND_SQL = """
WITH {relaxed}head AS (
    UPDATE audit_chainhead
       SET seq = seq + 1, prev_hash = last_hash, last_hash = {link}
     WHERE id = 1
 RETURNING seq, prev_hash, last_hash
)
INSERT INTO audit_auditevent ({columns}, seq, prev_hash, hash)
SELECT {values}, head.seq, head.prev_hash, head.last_hash FROM head{relaxed_from}
RETURNING id, seq, prev_hash, hash
"""

# A page view's row on its own (ADR 40): the statement is its own transaction, and this makes
# that transaction's commit not wait for the disk (set_config(..., true) lasts until the
# transaction ends; the setting is read when it commits). One statement, one round trip.
RELAXED_SQL = "relaxed AS (SELECT set_config('synchronous_commit', 'off', true)), "


def _start_head() -> None:
    """No head yet (a new or emptied database): start it from the last chained row, if any."""
    from vsend.audit.models import AuditEvent, ChainHead

    last = AuditEvent.objects.exclude(seq=None).order_by("-seq").first()
    ChainHead.objects.get_or_create(
        pk=1,
        defaults={
            "seq": (last.seq or 0) if last else 0,
            "last_hash": last.hash if last else GENESIS,
            "prev_hash": last.prev_hash if last else "",
        },
    )


def _advance_head() -> tuple[int, str]:
    """The chain's next row number and the hash it follows, the head held until commit."""
    with connection.cursor() as cursor:  # scope-lint: allow the chain head; no child data
        cursor.execute(ADVANCE)  # scope-lint: allow the chain head; no child data
        row = cursor.fetchone()
    if row is not None:
        return int(row[0]), str(row[1])
    _start_head()
    return _advance_head()


def _append_postgresql(event: Any, relaxed: bool = False) -> bool:
    """One statement; False when there is no head to advance (nothing written). relaxed: the
    statement commits on its own without waiting for the disk (a page view, _relaxed)."""
    fields = [
        f
        for f in type(event)._meta.concrete_fields
        if not f.primary_key and f.attname not in ("seq", "prev_hash", "hash")
    ]
    values = [f.get_db_prep_save(f.pre_save(event, True), connection) for f in fields]
    sql = APPEND_SQL.format(
        relaxed=RELAXED_SQL if relaxed else "",
        relaxed_from=", relaxed" if relaxed else "",
        link=LINK_SQL,
        columns=", ".join(connection.ops.quote_name(f.column) for f in fields),
        # Typed, as the values are selected rather than given to VALUES.
        values=", ".join(f"%s::{f.db_type(connection)}" for f in fields),
    )
    with connection.cursor() as cursor:  # scope-lint: allow the audit trail; written, not read
        params = [content_digest(event), *values]
        cursor.execute(sql, params)  # scope-lint: allow the audit trail; written, not read
        row = cursor.fetchone()
    if row is None:
        return False
    event.pk, event.seq, event.prev_hash, event.hash = row
    event._state.adding, event._state.db = False, connection.alias
    return True


def _relaxed(event: Any, page_view: bool) -> bool:
    """The row of one record's page view (the caller says so: a profile's or child's page),
    written on its own (not in a caller's transaction), commits without waiting for the disk
    (ADR 40): a crash of the database server may lose the last fraction of a second of such
    rows, never a change, and never leaves the chain broken (the head moves in the same
    statement). Changes, refusals, exports, downloads and lists, and any row written in a
    transaction with other writes, wait as before; VSEND_AUDIT_DURABLE_READS makes page views
    wait too."""
    return (
        page_view
        and event.action == READ_ACTION
        and connection.get_autocommit()
        and not connection.in_atomic_block
        and not getattr(settings, "VSEND_AUDIT_DURABLE_READS", False)
    )


def make_durable() -> None:
    """Wait until every row committed so far is on disk: a durable commit that writes (the head,
    unchanged) flushes the log up to it, so a head read afterwards survives a crash."""
    from vsend.audit.models import ChainHead

    if connection.vendor != "postgresql":
        return
    with transaction.atomic():
        ChainHead.objects.filter(pk=1).update(seq=F("seq"))


def append(event: Any, *, page_view: bool = False) -> Any:
    """Insert an unsaved AuditEvent as the chain's next row (page_view: see _relaxed)."""
    from vsend.audit.models import ChainHead

    event.detail = normalise_detail(event.detail)
    if event.at is None:
        event.at = timezone.now()
    if connection.vendor == "postgresql":
        relaxed = _relaxed(event, page_view)
        if not _append_postgresql(event, relaxed):
            _start_head()
            _append_postgresql(event, relaxed)
        return event
    # Elsewhere (SQLite): advance, insert, set the head. Inside the caller's transaction no
    # savepoint is needed: the head is held until it ends.
    with nullcontext() if connection.in_atomic_block else transaction.atomic():
        event.seq, event.prev_hash = _advance_head()
        event.hash = row_hash(event)
        event.save()
        ChainHead.objects.filter(pk=1).update(last_hash=event.hash)
    return event


@dataclass(frozen=True)
class Break:
    """The first place the chain does not hold."""

    event_id: int | None
    seq: int | None
    reason: str


@dataclass(frozen=True)
class Verdict:
    checked: int
    head_seq: int
    head_hash: str
    broken: Break | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def _rows(batch: int) -> Iterator[Any]:
    from vsend.audit.models import AuditEvent

    after = 0
    while True:
        rows = list(
            AuditEvent.objects.exclude(seq=None).filter(seq__gt=after).order_by("seq")[:batch]
        )
        if not rows:
            return
        yield from rows
        after = rows[-1].seq or 0


def verify(batch: int = 2000) -> Verdict:
    """Walk the chain from the start; report the first row that does not match."""
    from vsend.audit.models import AuditEvent, ChainHead

    expected_seq, prev, checked = 1, GENESIS, 0
    for row in _rows(batch):
        if row.seq != expected_seq:
            missing = "missing" if row.seq > expected_seq else "repeated"
            reason = f"row number {expected_seq} is {missing} (found {row.seq})"
            return Verdict(checked, row.seq - 1, prev, Break(row.pk, row.seq, reason))
        if row.prev_hash != prev:
            reason = "its link to the previous row does not match"
            return Verdict(checked, row.seq - 1, prev, Break(row.pk, row.seq, reason))
        if not hash_holds(row):
            reason = "its content does not match its hash (changed after it was written)"
            return Verdict(checked, row.seq - 1, prev, Break(row.pk, row.seq, reason))
        prev, expected_seq, checked = row.hash, expected_seq + 1, checked + 1
    unchained = AuditEvent.objects.filter(seq=None).order_by("id").first()
    if unchained is not None:
        reason = "a row outside the chain (written without a hash)"
        return Verdict(checked, expected_seq - 1, prev, Break(unchained.pk, None, reason))
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and (head.seq, head.last_hash) != (expected_seq - 1, prev):
        reason = f"the chain head says row {head.seq} is the last, but the rows end at {expected_seq - 1}"
        return Verdict(checked, expected_seq - 1, prev, Break(None, head.seq, reason))
    return Verdict(checked, expected_seq - 1, prev, None)
