from django.db import migrations, models

from greenjobs.text import search_key


def fill_search_text(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    batch = []
    for user in User.objects.only("pk", "first_name", "last_name").iterator(chunk_size=2000):
        user.search_text = search_key(f"{user.first_name} {user.last_name}")[:300]
        batch.append(user)
        if len(batch) >= 2000:
            User.objects.bulk_update(batch, ["search_text"])
            batch = []
    User.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="search_text",
            field=models.CharField(default="", editable=False, max_length=300),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]
