import pathlib

from django.core.management.base import BaseCommand, CommandError

from bpp.people.imports.applying import apply_plan
from bpp.people.imports.mapping import PRESETS, default_mapping
from bpp.people.imports.planning import KIND_LABELS, Kind, plan_import
from bpp.people.imports.reading import read_table
from bpp.people.models import ImportMapping, Organisation


class Command(BaseCommand):
    help = (
        "Importe les agents d’un employeur depuis une extraction RH (CSV ou XLSX). "
        "Avec --full, les agents actifs absents du fichier sont désactivés (jamais supprimés)."
    )

    def add_arguments(self, parser):
        parser.add_argument("organisation", help="Nom ou numéro de l’employeur")
        parser.add_argument("file", type=pathlib.Path)
        parser.add_argument(
            "--mapping",
            help="Correspondance enregistrée pour cet employeur, ou « renoirh » "
            "(par défaut : d’après les en-têtes du fichier)",
        )
        parser.add_argument("--full", action="store_true", help="Extraction complète")
        parser.add_argument("--dry-run", action="store_true", help="Aperçu seulement")

    def handle(self, *args, organisation, file, mapping, full, dry_run, **options):
        employer = self._organisation(organisation)
        try:
            table = read_table(file.read_bytes(), file.name)
            columns = self._columns(employer, mapping, table.headers)
            plan = plan_import(employer, table, columns, full=full)
        except OSError as error:
            raise CommandError(f"Fichier illisible : {error}") from error
        except ValueError as error:  # unreadable, columns missing, full extract refused
            raise CommandError(str(error)) from error
        for row in plan.rows:
            if row.kind == Kind.REJECT:
                self.stderr.write(f"Ligne {row.line} : {' '.join(row.errors)}")
        if not dry_run:
            apply_plan(plan, by=None)
        counts = plan.counts
        summary = ", ".join(f"{KIND_LABELS[kind].lower()} : {counts[kind]}" for kind in Kind)
        verb = "Aperçu" if dry_run else "Import terminé"
        self.stdout.write(f"{verb} — {summary}, désactivés : {counts['desactivation']}.")

    def _organisation(self, key: str) -> Organisation:
        found = Organisation.objects.filter(name=key).first()
        if found is None and key.isdigit():
            found = Organisation.objects.filter(pk=int(key)).first()
        if found is None:
            raise CommandError(f"Aucun employeur « {key} ».")
        return found

    def _columns(self, employer: Organisation, name: str | None, headers) -> dict[str, str]:
        if not name:
            return default_mapping(headers)
        if name.lower() in PRESETS:
            return PRESETS[name.lower()][1]
        saved = ImportMapping.objects.filter(organisation=employer, name=name).first()
        if saved is None:
            raise CommandError(f"Aucune correspondance « {name} » pour {employer}.")
        return saved.columns
