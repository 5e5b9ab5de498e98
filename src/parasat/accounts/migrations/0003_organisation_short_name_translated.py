"""An organisation's short name in every content language. The English short
names written so far become the English version; a text column cannot be
turned into JSON in place on PostgreSQL, so the values move to a new column."""

from django.db import migrations

import parasat.core.fields


def to_translated(apps, schema_editor):
    Organisation = apps.get_model("accounts", "Organisation")
    for org in Organisation.objects.exclude(short_name=""):
        org.short_name_texts = {"en": org.short_name}
        org.save(update_fields=["short_name_texts"])


def to_english(apps, schema_editor):
    Organisation = apps.get_model("accounts", "Organisation")
    for org in Organisation.objects.all():
        org.short_name = (org.short_name_texts.get("en") or "")[:40]
        org.save(update_fields=["short_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="short_name_texts",
            field=parasat.core.fields.TranslatedTextField(blank=True, verbose_name="short name"),
        ),
        migrations.RunPython(to_translated, to_english),
        migrations.RemoveField(model_name="organisation", name="short_name"),
        migrations.RenameField(
            model_name="organisation", old_name="short_name_texts", new_name="short_name"
        ),
        migrations.AlterField(
            model_name="organisation",
            name="short_name",
            field=parasat.core.fields.TranslatedTextField(
                blank=True,
                help_text="What tables and lists show, when set.",
                verbose_name="short name",
            ),
        ),
    ]
