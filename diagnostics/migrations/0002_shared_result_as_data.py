"""Shares become data re-rendered by the templates, not stored HTML.

Links saved before this change stored rendered HTML that could carry a secret removed only by
text search (issue 10, F1/F2): they are deleted rather than converted.
"""

from django.db import migrations, models


def delete_html_shares(apps, schema_editor):
    apps.get_model("diagnostics", "SharedResult").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("diagnostics", "0001_initial")]

    operations = [
        migrations.RunPython(delete_html_shares, migrations.RunPython.noop),
        migrations.RemoveField(model_name="sharedresult", name="snapshot"),
        migrations.AddField(
            model_name="sharedresult",
            name="result",
            field=models.JSONField(default=dict, verbose_name="结果（数据，已去掉密钥）"),
        ),
    ]
