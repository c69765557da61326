"""Fill `applicant_search` for dossiers created before the column existed."""

from django.db import migrations


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    from motcua.catalog.folding import fold

    Dossier = apps.get_model("dossiers", "Dossier")
    for dossier in Dossier.objects.filter(applicant_search="").iterator(chunk_size=2000):
        dossier.applicant_search = fold(f"{dossier.applicant_name} {dossier.representative_name}")
        dossier.save(update_fields=["applicant_search"])


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0003_applicant_search")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
