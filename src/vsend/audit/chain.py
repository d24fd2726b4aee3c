"""The hash chain over audit rows: each row's hash covers its content and the previous row's hash.

Rows join the chain one at a time: appending advances the single chain-head row with one
UPDATE ... RETURNING, which locks it (PostgreSQL: the row; SQLite: the database for writing)
before anything is read, so two requests appending at once queue behind each other and never
fork the chain. The lock is
held until the surrounding transaction commits, so a row that is rolled back never becomes
another row's predecessor.

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

from django.db import connection, transaction

GENESIS = "0" * 64
CHAIN_VERSION = 1

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


def canonical(row: Any) -> bytes:
    """The bytes hashed for one row (a model instance or anything with the same attributes)."""
    at = row.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    values = {
        "v": CHAIN_VERSION,
        **{name: getattr(row, name) for name in HASHED_FIELDS},
        "at": at,
        "ip_address": _ip(row.ip_address),
        "detail": row.detail or {},
    }
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def row_hash(row: Any) -> str:
    return hashlib.sha256(canonical(row)).hexdigest()


# One statement takes the head's lock and reads it. On PostgreSQL the row stays locked until the
# transaction ends, and under READ COMMITTED a writer that waited gets the values its predecessor
# committed. On SQLite the write takes the database's write lock before anything is read.
ADVANCE = "UPDATE audit_chainhead SET seq = seq + 1 WHERE id = 1 RETURNING seq, last_hash"


def _advance_head() -> tuple[int, str]:
    """The chain's next row number and the hash it follows, the head held until commit."""
    from vsend.audit.models import AuditEvent, ChainHead

    with connection.cursor() as cursor:  # scope-lint: allow the chain head; no child data
        cursor.execute(ADVANCE)  # scope-lint: allow the chain head; no child data
        row = cursor.fetchone()
    if row is not None:
        return int(row[0]), str(row[1])
    # No head yet (a new or emptied database): start it from the last chained row, if any.
    last = AuditEvent.objects.exclude(seq=None).order_by("-seq").first()
    ChainHead.objects.get_or_create(
        pk=1,
        defaults={
            "seq": (last.seq or 0) if last else 0,
            "last_hash": last.hash if last else GENESIS,
        },
    )
    return _advance_head()


def append(event: Any) -> Any:
    """Insert an unsaved AuditEvent as the chain's next row."""
    from vsend.audit.models import ChainHead

    # Inside the caller's transaction no savepoint is needed: the head is held until it ends.
    with nullcontext() if connection.in_atomic_block else transaction.atomic():
        event.seq, event.prev_hash = _advance_head()
        event.detail = normalise_detail(event.detail)
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
        if row_hash(row) != row.hash:
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
