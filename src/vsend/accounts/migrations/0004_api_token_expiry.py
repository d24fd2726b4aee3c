"""API tokens expire. Tokens made before this get the configured lifetime from the upgrade."""

from datetime import timedelta

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def give_existing_tokens_an_expiry(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    expires = timezone.now() + timedelta(days=settings.VSEND_API_TOKEN_DAYS)
    ApiToken.objects.using(schema_editor.connection.alias).filter(expires_at__isnull=True).update(
        expires_at=expires
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_governor_role")]

    operations = [
        migrations.AddField(
            model_name="apitoken", name="expires_at", field=models.DateTimeField(null=True)
        ),
        migrations.RunPython(give_existing_tokens_an_expiry, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken", name="expires_at", field=models.DateTimeField()
        ),
    ]
