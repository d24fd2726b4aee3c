from typing import Any

from django.core.management.base import BaseCommand, CommandError

from vsend.audit.chain import make_durable, verify


class Command(BaseCommand):
    help = (
        "Walk the audit trail's hash chain from its first row and report the first row that "
        "does not match (exit status 1), or the chain's head if every row does."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--expect-head",
            metavar="SEQ:HASH",
            help="A head recorded earlier (printed by a previous run): check the chain still "
            "passes through it, so a rewrite of the whole chain is found too",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The head printed below is kept as an anchor: first make sure every row up to it is on
        # disk (page views may have been committed without waiting, ADR 40).
        make_durable()
        verdict = verify()
        if verdict.broken is not None:
            b = verdict.broken
            where = f"audit row id {b.event_id}" if b.event_id is not None else "the chain head"
            number = f" (row number {b.seq})" if b.seq is not None else ""
            raise CommandError(
                f"The audit trail's hash chain is broken at {where}{number}: {b.reason}. "
                f"{verdict.checked} rows before it match.",
                returncode=1,
            )
        if options["expect_head"]:
            self._check_anchor(options["expect_head"])
        self.stdout.write(
            self.style.SUCCESS(
                f"The audit trail's hash chain holds: {verdict.checked} rows. "
                f"Head {verdict.head_seq}:{verdict.head_hash}"
            )
        )

    def _check_anchor(self, anchor: str) -> None:
        from vsend.audit.models import AuditEvent

        seq_text, _, expected = anchor.partition(":")
        if not seq_text.isdigit() or len(expected) != 64:
            raise CommandError("Give --expect-head as SEQ:HASH, as printed by an earlier run")
        row = AuditEvent.objects.filter(seq=int(seq_text)).first()
        if row is None or row.hash != expected:
            raise CommandError(
                f"The audit trail no longer passes through row number {seq_text} with the hash "
                "recorded earlier: the chain has been rewritten.",
                returncode=1,
            )
