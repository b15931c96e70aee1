import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """The import job takes the core job base: who and when under the base's names, progress on the row."""

    dependencies = [
        ("programs", "0005_report_heartbeat"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name="importjob", old_name="created_by", new_name="requested_by"),
        migrations.RenameField(model_name="importjob", old_name="created_at", new_name="requested_at"),
        migrations.AlterModelOptions(
            name="importjob",
            options={"ordering": ["-requested_at"], "verbose_name": "import job", "verbose_name_plural": "import jobs"},
        ),
        migrations.AlterField(
            model_name="importjob",
            name="requested_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AddField(
            model_name="importjob",
            name="progress",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="progress (%)"),
        ),
        migrations.AddField(
            model_name="importjob",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="importjob",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="importjob",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Waiting"), ("running", "Running"), ("succeeded", "Imported"), ("failed", "Failed")
                ],
                default="pending",
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="importjob",
            name="message",
            field=models.TextField(blank=True, verbose_name="message"),
        ),
        migrations.AddConstraint(
            model_name="importjob",
            constraint=models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="programs_importjob_progress_percent"
            ),
        ),
    ]
