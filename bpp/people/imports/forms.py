"""The HR admin's forms of an import: the upload, and an employer's column mapping."""

from django import forms
from django.core.exceptions import ValidationError

from bpp.forms import DsfrForm
from bpp.people.imports.mapping import FIELDS, PRESETS
from bpp.people.models import ImportMapping, Organisation

# An extract of 100,000 agents is about 15 MB in CSV: twice that is refused.
MAX_FILE_SIZE = 30 * 1024 * 1024
FROM_HEADERS = "en-tetes"


class ImportUploadForm(DsfrForm):
    file = forms.FileField(
        label="Extraction des agents",
        help_text="Fichier CSV (séparateur ; , ou tabulation, UTF-8 ou Windows-1252) ou "
        "XLSX ; la première ligne nomme les colonnes. 30 Mo au plus.",
    )
    mapping = forms.ChoiceField(label="Correspondance des colonnes")
    full_extract = forms.BooleanField(
        label="Extraction complète de l’employeur",
        required=False,
        help_text="Les agents actifs absents du fichier seront désactivés, jamais supprimés : "
        "leurs demandes et bilans restent.",
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.saved = {
            f"enregistree-{m.pk}": m
            for m in ImportMapping.objects.filter(organisation=organisation).order_by("name")
        }
        self.fields["mapping"].choices = [
            (FROM_HEADERS, "D’après les en-têtes du fichier"),
            *((key, label) for key, (label, _) in PRESETS.items()),
            *((key, f"Enregistrée : {m.name}") for key, m in self.saved.items()),
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_SIZE:
            raise ValidationError("Le fichier dépasse 30 Mo : découpez l’extraction.")
        if not upload.name.lower().endswith((".csv", ".txt", ".xlsx")):
            raise ValidationError("Déposez un fichier CSV ou XLSX.")
        return upload

    def columns(self) -> dict[str, str] | None:
        """The mapping chosen; None: read the headers of the file."""
        choice = self.cleaned_data["mapping"]
        if choice in PRESETS:
            return dict(PRESETS[choice][1])
        if choice in self.saved:
            return dict(self.saved[choice].columns)
        return None


class ImportMappingForm(DsfrForm):
    """An employer's mapping: for each field, the header of its column in the extracts."""

    name = forms.CharField(label="Nom de la correspondance", max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in FIELDS:
            self.fields[field.name] = forms.CharField(
                label=f"Colonne « {field.label} »",
                max_length=200,
                required=field.required,
                help_text=None
                if field.required
                else "Facultative : sans elle, ce champ reste tel qu’il est.",
            )

    @property
    def columns(self) -> dict[str, str]:
        return {f.name: self.cleaned_data[f.name] for f in FIELDS if self.cleaned_data[f.name]}
