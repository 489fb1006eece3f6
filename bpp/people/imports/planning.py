"""
An extract compared with the database, row by row, without writing anything.

Each row is to create, update, leave unchanged or reject (with its reasons, in French).
The identity key is the professional e-mail, case-insensitive, within the employer: an
agent of another employer with the same address is rejected, never moved. A manager is
named by e-mail: another row of the file, or someone already at this employer. In a full
extract, the employer's active agents absent from the file are to be deactivated.

Everything is read in a handful of set-based queries (dicts keyed by e-mail): no query
per row, so that 100,000 rows plan in seconds.
"""

import dataclasses
import datetime
import enum
import functools
import re
import unicodedata
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.db.models.functions import Lower

from bpp.people.imports.mapping import FIELDS_BY_NAME, column_indexes
from bpp.people.imports.reading import Table
from bpp.people.models import AgentProfile, Organisation, Service, User
from bpp.validators import (
    EARLIEST_DATE,
    LATEST_DATE,
    validate_departement,
    validate_plausible_date,
)

# Large IN lists are cut so that SQLite's limit of bound parameters holds.
QUERY_CHUNK = 5_000

# The profile's fields an extract may set (the user's are first/last name and is_active).
PROFILE_FIELDS = (
    "status",
    "category",
    "function_title",
    "post_start_date",
    "holds_level4_diploma",
    "covered_by_l5212_13",
    "exposed_to_professional_wear",
    "job_cut_by_restructuring",
    "work_town",
    "work_departement",
)
USER_FIELDS = ("last_name", "first_name")

# Called with (rows done, rows in all) as a long import goes, for its progress page.
Progress = Callable[[int, int], None]


class Kind(enum.StrEnum):
    CREATE = "creation"
    UPDATE = "modification"
    UNCHANGED = "inchange"
    REJECT = "rejet"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    Kind.CREATE: "À créer",
    Kind.UPDATE: "À modifier",
    Kind.UNCHANGED: "Inchangé",
    Kind.REJECT: "Rejeté",
}


@dataclasses.dataclass
class Row:
    line: int
    email: str
    values: dict = dataclasses.field(default_factory=dict)
    errors: list[str] = dataclasses.field(default_factory=list)
    changes: list[str] = dataclasses.field(default_factory=list)
    kind: Kind = Kind.REJECT
    existing: dict | None = None  # the agent as stored (values of ExistingAgents.COLUMNS)
    user_id: int | None = None  # an account without a profile yet, or the agent's
    manager_changed: bool = False


@dataclasses.dataclass
class Plan:
    organisation: Organisation
    full: bool
    mapped: frozenset[str]  # the fields the file has a column for
    rows: list[Row]
    new_services: list[str]  # names, as first written in the file
    services: dict[str, int]  # casefolded name -> pk, those existing
    deactivate: list[int]  # user pks
    managers: dict[str, int]  # lowercased e-mail -> user pk, of managers outside the file

    def count(self, kind: Kind) -> int:
        return sum(1 for row in self.rows if row.kind == kind)

    @property
    def counts(self) -> dict[str, int]:
        return {
            **{kind.value: self.count(kind) for kind in Kind},
            "desactivation": len(self.deactivate),
        }


class FullExtractRefused(ValueError):
    """A full extract without a single valid row would deactivate everyone."""


def plan_import(
    organisation: Organisation,
    table: Table,
    mapping: dict[str, str],
    *,
    full: bool = False,
    by: User | None = None,
    progress: Progress | None = None,
) -> Plan:
    """Compare `table` with the agents of `organisation` (MappingError when columns lack).
    `progress(done, total)` is called as the rows are parsed, the bulk of the work."""
    indexes = column_indexes(table.headers, mapping)
    rows = []
    for start in range(0, len(table.rows), QUERY_CHUNK):
        rows += [
            _parse(line, values, indexes)
            for line, values in table.rows[start : start + QUERY_CHUNK]
        ]
        if progress is not None:
            progress(len(rows), len(table.rows))
    _reject_duplicates(rows)
    existing = _existing_agents(organisation, [r.email for r in rows if not r.errors])
    services = {
        name.casefold(): pk
        for pk, name in Service.objects.filter(organisation=organisation)
        .values_list("pk", "name")
        .order_by()
    }
    managers = _outside_managers(organisation, rows)
    for row in rows:
        if not row.errors:
            _compare(row, organisation, existing, services, managers, mapped=indexes.keys())
    _reject_orphans(rows, managers)
    new_services = {}
    for row in rows:
        name = row.values.get("service")
        if row.kind != Kind.REJECT and name.casefold() not in services:
            new_services.setdefault(name.casefold(), name)
    deactivate = []
    if full:
        if not any(row.kind != Kind.REJECT for row in rows):
            raise FullExtractRefused(
                "Aucune ligne valide : un import complet désactiverait tous les agents. "
                "Rien n’a été fait."
            )
        in_file = {row.email for row in rows if row.email}
        deactivate = [
            pk
            for email, pk in (
                AgentProfile.objects.filter(organisation=organisation, user__is_active=True)
                .exclude(user=by)
                .values_list(Lower("user__email"), "user_id")
                .order_by()
            )
            if email not in in_file
        ]
    return Plan(
        organisation=organisation,
        full=full,
        mapped=frozenset(indexes),
        rows=rows,
        new_services=sorted(new_services.values()),
        services=services,
        deactivate=deactivate,
        managers=managers,
    )


# Parsing: each cell into a value, or an error message that names the field.


def _parse(line: int, values: list, indexes: dict[str, int]) -> Row:
    row = Row(line=line, email="")
    for name, index in indexes.items():
        field = FIELDS_BY_NAME[name]
        raw = values[index] if index < len(values) else ""
        try:
            value = PARSERS[field.kind](raw)
        except ValidationError as error:
            message = error.messages[0]  # after a colon, in lower case
            row.errors.append(f"{field.label.capitalize()} : {message[0].lower()}{message[1:]}")
            continue
        if field.required and value in ("", None):
            row.errors.append(f"{field.label.capitalize()} : valeur manquante.")
        elif isinstance(value, str) and len(value) > field.max_length:
            row.errors.append(
                f"{field.label.capitalize()} : {field.max_length} caractères au plus "
                f"({len(value)} ici)."
            )
        else:
            row.values[name] = value
    row.email = (
        row.values.get("email", "")
        or _cell(values[indexes["email"]] if indexes["email"] < len(values) else "").lower()
    )
    return row


def _cell(raw) -> str:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return " ".join(str(raw).split())


def _text(raw) -> str:
    return _cell(raw)


@functools.lru_cache(maxsize=10_000)  # managers' addresses come back on many rows
def _email(raw) -> str:
    value = _cell(raw).lower()
    if value:
        try:
            validate_email(value)
        except ValidationError as error:
            raise ValidationError(f"« {value} » n’est pas une adresse électronique.") from error
    return value


DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")  # 1/9/2019, 01-09-2019, 01.09.2019
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _day(value: str) -> datetime.date | None:
    # Not strptime: at 100,000 rows, matching one pattern is several times faster.
    if found := DATE.fullmatch(value):
        day, month, year = found.groups()
    elif found := ISO_DATE.fullmatch(value):
        year, month, day = found.groups()
    else:
        return None
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _date(raw) -> datetime.date | None:
    if isinstance(raw, datetime.datetime):
        day = raw.date()
    elif isinstance(raw, datetime.date):
        day = raw
    else:
        value = _cell(raw)
        if not value:
            return None
        day = _day(value)
        if day is None:
            raise ValidationError(f"« {value} » n’est pas une date (jj/mm/aaaa ou aaaa-mm-jj).")
    try:
        validate_plausible_date(day)
    except ValidationError:
        raise ValidationError(
            f"le {day:%d/%m/%Y} est hors des années {EARLIEST_DATE.year} à {LATEST_DATE.year}."
        ) from None
    return day


TRUE = {"oui", "o", "1", "x", "vrai", "true", "yes"}
FALSE = {"non", "n", "0", "", "faux", "false", "no"}


def _boolean(raw) -> bool:
    if isinstance(raw, bool):
        return raw
    value = _cell(raw).casefold()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ValidationError(f"« {_cell(raw)} » n’est ni oui ni non (oui, non, 1, 0 ou x).")


def _plain(value: str) -> str:
    text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return " ".join(text.casefold().split())


CATEGORIES = frozenset(AgentProfile.Category.values)


def _category(raw) -> str:
    value = _cell(raw)
    letter = re.sub(r"^(categorie|cat\.?)\s*", "", _plain(value)).rstrip("+").upper()
    if letter in CATEGORIES:
        return letter
    if not value:
        return ""
    raise ValidationError(f"« {value} » n’est pas une catégorie A, B ou C.")


STATUSES = {
    "titulaire": AgentProfile.Status.TITULAIRE,
    "fonctionnaire": AgentProfile.Status.TITULAIRE,
    "fonctionnaire titulaire": AgentProfile.Status.TITULAIRE,
    "contractuel": AgentProfile.Status.CONTRACTUEL,
    "contractuelle": AgentProfile.Status.CONTRACTUEL,
    "agent contractuel": AgentProfile.Status.CONTRACTUEL,
    "non titulaire": AgentProfile.Status.CONTRACTUEL,
}


def _status(raw) -> str:
    value = _cell(raw)
    if not value:
        return ""
    try:
        return STATUSES[_plain(value).replace("-", " ")]
    except KeyError:
        raise ValidationError(
            f"« {value} » n’est pas un statut connu (titulaire ou contractuel)."
        ) from None


def _departement(raw) -> str:
    value = _cell(raw).upper()
    if len(value) == 1 and value.isdigit():
        value = "0" + value  # a spreadsheet's number 1 for « 01 »
    if value:
        validate_departement(value)
    return value


PARSERS = {
    "text": _text,
    "email": _email,
    "date": _date,
    "boolean": _boolean,
    "category": _category,
    "status": _status,
    "departement": _departement,
}


# Comparing: the rows against what is stored, in a few queries.


def _reject_duplicates(rows: list[Row]) -> None:
    first_line = {}
    for row in rows:
        if not row.email:
            continue
        if row.email in first_line:
            row.errors.append(
                f"L’adresse {row.email} figure déjà à la ligne {first_line[row.email]}."
            )
        else:
            first_line[row.email] = row.line


EXISTING_COLUMNS = (
    "id",
    "user_id",
    "organisation_id",
    "service_id",
    "manager_id",
    *(f"user__{name}" for name in (*USER_FIELDS, "is_active")),
    *PROFILE_FIELDS,
)


def _chunks(items: list, size: int = QUERY_CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _existing_agents(organisation: Organisation, emails: list[str]) -> dict[str, dict]:
    """The accounts with these e-mails (lowercased), with their profile if any."""
    # The employer's agents in one query: most rows of an extract are already there.
    found = {
        profile["email_ci"]: {"user_id": profile["user_id"], "profile": profile}
        for profile in AgentProfile.objects.filter(organisation=organisation)
        .annotate(email_ci=Lower("user__email"))
        .values("email_ci", *EXISTING_COLUMNS)
        .order_by()
    }
    # The others: new people, accounts without a profile, other employers' agents.
    rest = [email for email in emails if email not in found]
    for chunk in _chunks(rest):
        users = (
            User.objects.annotate(email_ci=Lower("email"))
            .filter(email_ci__in=chunk)
            .values("id", "email_ci", "agent_profile__id")
            .order_by()
        )
        elsewhere = {}
        for user in users:
            found[user["email_ci"]] = {"user_id": user["id"], "profile": None}
            if user["agent_profile__id"]:
                elsewhere[user["agent_profile__id"]] = user["email_ci"]
        for profile in (
            AgentProfile.objects.filter(pk__in=list(elsewhere)).values(*EXISTING_COLUMNS).order_by()
        ):
            found[elsewhere[profile["id"]]]["profile"] = profile
    return found


def _outside_managers(organisation: Organisation, rows: list[Row]) -> dict[str, int]:
    """Managers named by the file who are not rows of it: people of this employer (an agent
    or someone holding a role there), lowercased e-mail -> user pk."""
    in_file = {row.email for row in rows if not row.errors}
    wanted = sorted(
        {row.values["manager_email"] for row in rows if row.values.get("manager_email")} - in_file
    )
    found = {}
    of_employer = Q(agent_profile__organisation=organisation) | Q(
        role_assignments__organisation=organisation
    )
    for chunk in _chunks(wanted):
        found.update(
            User.objects.annotate(email_ci=Lower("email"))
            .filter(of_employer, email_ci__in=chunk, is_active=True)
            .values_list("email_ci", "pk")
            .order_by()
        )
    return found


def _compare(row: Row, organisation, existing, services, managers, *, mapped) -> None:
    values = row.values
    manager = values.get("manager_email", "")
    if manager and manager == row.email:
        row.errors.append("Un agent ne peut pas être son propre responsable.")
        return
    entry = existing.get(row.email)
    if entry is None:
        row.kind = Kind.CREATE
        return
    row.user_id = entry["user_id"]
    profile = entry["profile"]
    if profile is None:
        row.kind = Kind.CREATE  # an account (a CMC, a manager) becomes an agent too
        return
    if profile["organisation_id"] != organisation.pk:
        row.errors.append(
            "Un agent d’un autre employeur a déjà cette adresse : il n’est pas déplacé. "
            "Voyez avec son employeur."
        )
        return
    row.existing = profile
    changes = [
        FIELDS_BY_NAME[name].label
        for name in USER_FIELDS
        if name in mapped and values[name] != profile[f"user__{name}"]
    ]
    if not profile["user__is_active"]:
        changes.append("réactivation")
    if services.get(values["service"].casefold()) != profile["service_id"]:
        changes.append("service")
    changes += [
        FIELDS_BY_NAME[name].label
        for name in PROFILE_FIELDS
        if name in mapped and values[name] != profile[name]
    ]
    if "manager_email" in mapped:
        if not manager:
            target = None
        elif manager in managers:
            target = managers[manager]
        else:  # a row of the file: its account if it has one (a new one differs)
            target = existing.get(manager, {}).get("user_id", -1)
        row.manager_changed = target != profile["manager_id"]
        if row.manager_changed:
            changes.append("responsable")
    row.changes = changes
    row.kind = Kind.UPDATE if changes else Kind.UNCHANGED


def _reject_orphans(rows: list[Row], managers: dict[str, int]) -> None:
    """Reject the rows whose manager is neither a valid row nor someone of the employer,
    until no more falls (a rejected manager's team goes too)."""
    line_of = {row.email: row for row in rows if row.email}
    changed = True
    while changed:
        changed = False
        for row in rows:
            if row.errors:
                continue
            manager = row.values.get("manager_email")
            if not manager or manager in managers:
                continue
            in_file = line_of.get(manager)
            if in_file is None:
                row.errors.append(
                    f"Le responsable {manager} n’est ni dans le fichier ni parmi les agents et "
                    "personnels de l’employeur."
                )
            elif in_file.errors:
                row.errors.append(
                    f"La ligne {in_file.line} de son responsable ({manager}) est rejetée."
                )
            else:
                continue
            row.kind = Kind.REJECT
            changed = True
