"""
The fields an extract of agents fills, and which column of the file holds each.

A mapping is a dict `{field: column header}`; each employer saves its own (ImportMapping),
and the RENOIRH preset names the headers of an extract « style RenoiRH » (RenoiRH is the
HR information system of the State's ministries; these headers are plausible ones, not
an official specification).
"""

import dataclasses
import unicodedata


@dataclasses.dataclass(frozen=True)
class Field:
    name: str
    label: str  # as the HR admin reads it, in the errors too
    kind: str  # text, email, date, boolean, category, status, departement
    required: bool = False
    max_length: int = 200


FIELDS = (
    Field("email", "courriel professionnel", "email", required=True, max_length=254),
    Field("last_name", "nom", "text", required=True, max_length=150),
    Field("first_name", "prénom", "text", required=True, max_length=150),
    Field("service", "service", "text", required=True),
    Field("manager_email", "courriel du responsable", "email", max_length=254),
    Field("category", "catégorie", "category", required=True),
    Field("status", "statut", "status", required=True),
    Field("function_title", "corps ou fonction", "text", required=True),
    Field("post_start_date", "date de prise de poste", "date", required=True),
    Field("holds_level4_diploma", "diplôme de niveau 4", "boolean"),
    Field("covered_by_l5212_13", "bénéficiaire L5212-13", "boolean"),
    Field("exposed_to_professional_wear", "exposé à l’usure professionnelle", "boolean"),
    Field("job_cut_by_restructuring", "emploi supprimé par une restructuration", "boolean"),
    Field("work_town", "commune du lieu de travail", "text", max_length=100),
    Field("work_departement", "département du lieu de travail", "departement", max_length=3),
)
FIELDS_BY_NAME = {f.name: f for f in FIELDS}
REQUIRED = tuple(f.name for f in FIELDS if f.required)

# « Style RenoiRH »: the headers an extract of the State's HR information system could bear.
RENOIRH = {
    "email": "Courriel professionnel",
    "last_name": "Nom d'usage",
    "first_name": "Prénom",
    "service": "Libellé structure",
    "manager_email": "Courriel du responsable",
    "category": "Catégorie",
    "status": "Statut",
    "function_title": "Corps",
    "post_start_date": "Date de prise de poste",
    "holds_level4_diploma": "Diplôme niveau 4",
    "covered_by_l5212_13": "BOETH",
    "exposed_to_professional_wear": "Usure professionnelle",
    "job_cut_by_restructuring": "Poste supprimé",
    "work_town": "Commune d'affectation",
    "work_departement": "Département d'affectation",
}
PRESETS = {"renoirh": ("Modèle « style RenoiRH »", RENOIRH)}


class MappingError(ValueError):
    """The file lacks a column the mapping needs: nothing can be read."""


def normalise_header(header: str) -> str:
    """Compare headers without case, accents, typographic apostrophes or extra spaces."""
    text = str(header or "").replace("’", "'")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(text.casefold().split())


def default_mapping(headers: list[str]) -> dict[str, str]:
    """The mapping a file's own headers suggest: the RenoiRH header or the field's label."""
    found = {normalise_header(h): h for h in headers}
    mapping = {}
    for field in FIELDS:
        for candidate in (RENOIRH[field.name], field.label, field.name):
            if normalise_header(candidate) in found:
                mapping[field.name] = found[normalise_header(candidate)]
                break
    return mapping


def column_indexes(headers: list[str], mapping: dict[str, str]) -> dict[str, int]:
    """The position in the file of each mapped field; MappingError, in French, when a
    required field has no column or its column is missing from the file. An optional
    column the file lacks is left out: those fields stay as they are."""
    positions = {normalise_header(h): i for i, h in enumerate(headers) if str(h or "").strip()}
    indexes, absent = {}, []
    for name, header in mapping.items():
        if name not in FIELDS_BY_NAME or not header:
            continue
        if normalise_header(header) in positions:
            indexes[name] = positions[normalise_header(header)]
        elif FIELDS_BY_NAME[name].required:
            absent.append(f"« {header} » ({FIELDS_BY_NAME[name].label})")
    unmapped = [FIELDS_BY_NAME[n].label for n in REQUIRED if n not in mapping or not mapping[n]]
    messages = []
    if absent:
        messages.append("Colonnes introuvables dans le fichier : " + ", ".join(absent) + ".")
    if unmapped:
        messages.append("Aucune colonne pour : " + ", ".join(unmapped) + ".")
    if messages:
        raise MappingError(" ".join(messages))
    return indexes
