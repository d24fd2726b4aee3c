"""Chain the rows written before the hash chain existed, in the order they were written.

The rows are append-only, so their new columns are filled with the update triggers briefly set
aside inside this migration's transaction (the migration runs as the tables' owner). On SQLite
the trigger is also put back because adding the unique `seq` column rebuilt the table.
"""

from django.db import migrations

from vsend.audit.chain import GENESIS, row_hash

PG_OFF = "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_no_update"
PG_ON = "ALTER TABLE audit_auditevent ENABLE TRIGGER audit_no_update"
SQLITE_OFF = "DROP TRIGGER IF EXISTS audit_no_update"
SQLITE_ON = """
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_auditevent
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
"""


def forwards(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    ChainHead = apps.get_model("audit", "ChainHead")
    vendor = schema_editor.connection.vendor
    off, on = {"postgresql": (PG_OFF, PG_ON), "sqlite": (SQLITE_OFF, SQLITE_ON)}.get(
        vendor, (None, None)
    )
    if off:
        schema_editor.execute(off)
    prev, seq = GENESIS, 0
    with schema_editor.connection.cursor() as cursor:
        for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
            seq += 1
            event.seq, event.prev_hash = seq, prev
            event.hash = row_hash(event)
            cursor.execute(
                "UPDATE audit_auditevent SET seq = %s, prev_hash = %s, hash = %s WHERE id = %s",
                [seq, prev, event.hash, event.pk],
            )
            prev = event.hash
    if on:
        schema_editor.execute(on)
    ChainHead.objects.update_or_create(pk=1, defaults={"seq": seq, "last_hash": prev})


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_hash_chain")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
