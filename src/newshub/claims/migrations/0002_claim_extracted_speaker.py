from django.db import migrations, models
from django.db.models import F


def keep_stored_names(apps, schema_editor) -> None:
    """Claims stored before this field have only the story-wide name: the best guess at the original."""
    apps.get_model("claims", "Claim").objects.update(extracted_speaker=F("speaker"))


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="claim",
            name="speaker",
            field=models.CharField(help_text="normalized name, the same across the story", max_length=500),
        ),
        migrations.AddField(
            model_name="claim",
            name="extracted_speaker",
            field=models.CharField(
                blank=True,
                help_text="the name as this article gives it, before the story's normalization",
                max_length=500,
            ),
        ),
        migrations.RunPython(keep_stored_names, migrations.RunPython.noop),
    ]
