from django.db import migrations


class Migration(migrations.Migration):
    """SharedResult now belongs to the sharing app; its table stays (sharing 0001 adopts it)."""

    dependencies = [("diagnostics", "0002_shared_result_as_data")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="SharedResult")],
            database_operations=[],
        )
    ]
