"""A response's reason in every content language (English authoritative), as
every other content text. The response never recorded the language its
reason was written in, so each reason written so far becomes the English
version (the one a response must have); Kazakh and Russian show it with the
"not translated" mark until someone translates it. A text column cannot be
turned into JSON in place on PostgreSQL, so the values move to a new column.
Backwards, the English version goes back to the text column."""

from django.db import migrations, models

import parasat.core.fields

BATCH = 500


def reasons_to_english(apps, schema_editor):
    Response = apps.get_model("engagement", "Response")
    batch = []
    for response in Response.objects.only("pk", "reason").order_by("pk").iterator(BATCH):
        response.reason_texts = {"en": response.reason.strip()} if response.reason.strip() else {}
        batch.append(response)
        if len(batch) == BATCH:
            Response.objects.bulk_update(batch, ["reason_texts"])
            batch = []
    Response.objects.bulk_update(batch, ["reason_texts"])


def reasons_to_text(apps, schema_editor):
    Response = apps.get_model("engagement", "Response")
    batch = []
    for response in Response.objects.only("pk", "reason_texts").order_by("pk").iterator(BATCH):
        response.reason = response.reason_texts.get("en") or ""
        batch.append(response)
        if len(batch) == BATCH:
            Response.objects.bulk_update(batch, ["reason"])
            batch = []
    Response.objects.bulk_update(batch, ["reason"])


class Migration(migrations.Migration):
    dependencies = [
        ("engagement", "0005_surveys"),
    ]

    operations = [
        migrations.AddField(
            model_name="response",
            name="reason_texts",
            field=parasat.core.fields.TranslatedTextField(
                blank=True, multiline=True, verbose_name="reason"
            ),
        ),
        migrations.RunPython(reasons_to_english, reasons_to_text),
        # Blank before it goes: backwards, the column comes back filled with ""
        # (a column without a default cannot be added to rows that exist)
        # before the step above writes the reasons into it.
        migrations.AlterField(
            model_name="response",
            name="reason",
            field=models.TextField(blank=True, verbose_name="reason"),
        ),
        migrations.RemoveField(model_name="response", name="reason"),
        migrations.RenameField(model_name="response", old_name="reason_texts", new_name="reason"),
        migrations.AlterField(
            model_name="response",
            name="reason",
            field=parasat.core.fields.TranslatedTextField(multiline=True, verbose_name="reason"),
        ),
    ]
