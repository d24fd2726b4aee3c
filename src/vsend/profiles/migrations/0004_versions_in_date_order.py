"""A child's profile versions are in date order: on any date at most one finalised profile is
current. Everywhere: a version ends after it starts. On PostgreSQL: an exclusion constraint
over each child's [assessment_date, superseded_on) ranges of finalised profiles (btree_gist)."""

from typing import Any

from django.db import migrations, models

EXCLUSION = """
ALTER TABLE profiles_profile ADD CONSTRAINT profile_versions_do_not_overlap
EXCLUDE USING gist (child_id WITH =, daterange(assessment_date, superseded_on, '[)') WITH &&)
WHERE (status = 'finalised')
"""


def refuse_overlaps(apps, schema_editor):
    """Name the children whose versions overlap, rather than fail on the constraint blindly."""
    Profile = apps.get_model("profiles", "Profile")
    finalised = Profile.objects.filter(status="finalised").order_by("child_id", "assessment_date")
    bad: set[int] = set()
    last: dict[int, Any] = {}
    for p in finalised.only("child_id", "assessment_date", "superseded_on"):
        before = last.get(p.child_id)
        if before is not None and (
            before.superseded_on is None or before.superseded_on > p.assessment_date
        ):
            bad.add(p.child_id)
        if p.superseded_on is not None and p.superseded_on <= p.assessment_date:
            bad.add(p.child_id)
        last[p.child_id] = p
    if bad:
        raise RuntimeError(
            "These children have finalised profiles that overlap in time; correct their "
            f"assessment dates or superseded_on before migrating: {sorted(bad)[:50]}"
        )


def add_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(EXCLUSION)


def drop_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE profiles_profile DROP CONSTRAINT IF EXISTS profile_versions_do_not_overlap"
        )


class Migration(migrations.Migration):
    dependencies = [("profiles", "0003_child_as_at_index")]

    operations = [
        migrations.RunPython(refuse_overlaps, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="profile",
            constraint=models.CheckConstraint(
                condition=models.Q(superseded_on__isnull=True)
                | models.Q(superseded_on__gt=models.F("assessment_date")),
                name="profile_superseded_after_assessed",
            ),
        ),
        migrations.RunPython(add_exclusion, drop_exclusion),
    ]
