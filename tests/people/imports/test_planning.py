import datetime

import pytest

from bpp.people.imports.mapping import RENOIRH, MappingError, default_mapping
from bpp.people.imports.planning import FullExtractRefused, Kind
from bpp.people.imports.reading import UnreadableFile, read_table
from bpp.people.models import AgentProfile, User
from tests.people.factories import AgentFactory, OrganisationFactory, ServiceFactory
from tests.people.imports.helpers import HEADERS, agent_row, csv_bytes, plan, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def employer():
    return OrganisationFactory(name="Ministère des essais")


def only_row(made):
    [row] = made.rows
    return row


def test_the_renoirh_headers_map_themselves():
    assert default_mapping(HEADERS)["email"] == "Courriel professionnel"
    assert default_mapping(["COURRIEL PROFESSIONNEL", "Nom d’usage"]) == {
        "email": "COURRIEL PROFESSIONNEL",
        "last_name": "Nom d’usage",
    }


def test_a_missing_required_column_is_named_in_french(employer):
    content = csv_bytes([["a@x.fr"]], headers=["Courriel professionnel"])
    with pytest.raises(MappingError, match=r"Colonnes introuvables.*« Nom d'usage » \(nom\)"):
        plan(employer, content)


def test_a_mapping_without_a_required_field_says_which(employer):
    table = read_table(csv_bytes([agent_row("a@x.fr")]), "f.csv")
    from bpp.people.imports.planning import plan_import

    columns = {k: v for k, v in RENOIRH.items() if k != "category"}
    with pytest.raises(MappingError, match="Aucune colonne pour : catégorie"):
        plan_import(employer, table, columns)


@pytest.mark.parametrize(
    ("delimiter", "encoding"), [(";", "utf-8"), (",", "utf-8-sig"), ("\t", "cp1252")]
)
def test_csv_delimiters_and_encodings_are_recognised(employer, delimiter, encoding):
    content = csv_bytes(
        [agent_row("a@x.fr", last_name="Bérénice")], delimiter=delimiter, encoding=encoding
    )
    row = only_row(plan(employer, content))
    assert row.kind == Kind.CREATE
    assert row.values["last_name"] == "Bérénice"


def test_an_xlsx_extract_is_read_with_its_dates_and_line_numbers(employer):
    row = agent_row("a@x.fr")
    row[HEADERS.index("Date de prise de poste")] = datetime.datetime(2021, 3, 15)
    made = plan(employer, xlsx_bytes([row, ["x"] + [""] * 11]), filename="rh.xlsx")
    assert made.rows[0].values["post_start_date"] == datetime.date(2021, 3, 15)
    assert made.rows[1].line == 3
    assert made.rows[1].kind == Kind.REJECT


def test_a_file_that_is_neither_csv_nor_xlsx_is_refused_in_french(employer):
    with pytest.raises(UnreadableFile, match="classeur XLSX"):
        read_table(b"PK\x03\x04 not a zip", "rh.xlsx")
    with pytest.raises(UnreadableFile, match="vide"):
        read_table(b"", "rh.csv")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"email": "pas-une-adresse"},
            "Courriel professionnel : « pas-une-adresse » n’est pas une adresse électronique.",
        ),
        ({"last_name": ""}, "Nom : valeur manquante."),
        ({"category": "D"}, "Catégorie : « D » n’est pas une catégorie A, B ou C."),
        (
            {"status": "Vacataire"},
            "Statut : « Vacataire » n’est pas un statut connu (titulaire ou contractuel).",
        ),
        (
            {"post_start_date": "31/02/2024"},
            "Date de prise de poste : « 31/02/2024 » n’est pas une date (jj/mm/aaaa ou aaaa-mm-jj).",
        ),
        (
            {"post_start_date": "01/01/1990"},
            "Date de prise de poste : le 01/01/1990 est hors des années 2000 à 2099.",
        ),
        (
            {"holds_level4_diploma": "peut-être"},
            "Diplôme de niveau 4 : « peut-être » n’est ni oui ni non (oui, non, 1, 0 ou x).",
        ),
        ({"function_title": "x" * 201}, "Corps ou fonction : 200 caractères au plus (201 ici)."),
        ({"manager_email": "a@x.fr"}, "Un agent ne peut pas être son propre responsable."),
        (
            {"manager_email": "inconnu@x.fr"},
            "Le responsable inconnu@x.fr n’est ni dans le fichier ni parmi les agents et personnels de l’employeur.",
        ),
    ],
)
def test_each_error_is_in_french_on_its_line(employer, changes, message):
    content = csv_bytes([agent_row("ok@x.fr"), agent_row("a@x.fr", **changes)])
    made = plan(employer, content)
    rejected = made.rows[1]
    assert (rejected.line, rejected.kind, rejected.errors) == (3, Kind.REJECT, [message])
    assert made.rows[0].kind == Kind.CREATE


def test_values_are_read_in_their_usual_spellings(employer):
    content = csv_bytes(
        [
            agent_row(
                " Claire.Martin@X.fr ",
                category="Catégorie C",
                status="Non-titulaire",
                post_start_date="2020-01-06",
                holds_level4_diploma="X",
                covered_by_l5212_13="1",
            )
        ]
    )
    values = only_row(plan(employer, content)).values
    assert values["email"] == "claire.martin@x.fr"
    assert values["category"] == "C"
    assert values["status"] == AgentProfile.Status.CONTRACTUEL
    assert values["post_start_date"] == datetime.date(2020, 1, 6)
    assert values["holds_level4_diploma"] is True
    assert values["covered_by_l5212_13"] is True
    assert values["exposed_to_professional_wear"] is False


def test_a_second_row_with_the_same_address_is_rejected(employer):
    made = plan(employer, csv_bytes([agent_row("a@x.fr"), agent_row("A@x.fr")]))
    assert made.rows[1].errors == ["L’adresse a@x.fr figure déjà à la ligne 2."]


def test_an_agent_of_another_employer_is_rejected_not_moved(employer):
    AgentFactory(user__email="Claire@x.fr")
    row = only_row(plan(employer, csv_bytes([agent_row("claire@x.fr")])))
    assert row.kind == Kind.REJECT
    assert row.errors == [
        "Un agent d’un autre employeur a déjà cette adresse : il n’est pas déplacé. "
        "Voyez avec son employeur."
    ]


def test_an_existing_agent_is_unchanged_or_updated_with_what_changes(employer):
    service = ServiceFactory(organisation=employer, name="Bureau des affaires générales")
    AgentFactory(
        user__email="a@x.fr",
        user__first_name="Claire",
        user__last_name="Martin",
        service=service,
        function_title="Secrétaire administrative",
    )
    assert only_row(plan(employer, csv_bytes([agent_row("a@x.fr")]))).kind == Kind.UNCHANGED
    row = only_row(
        plan(employer, csv_bytes([agent_row("A@X.FR", category="C", service="Bureau RH")]))
    )
    assert row.kind == Kind.UPDATE
    assert row.changes == ["service", "catégorie"]


def test_a_manager_is_a_row_of_the_file_or_someone_of_the_employer(employer):
    AgentFactory(user__email="chef@x.fr", service__organisation=employer)
    made = plan(
        employer,
        csv_bytes(
            [
                agent_row("a@x.fr", manager_email="nouvelle-cheffe@x.fr"),
                agent_row("nouvelle-cheffe@x.fr", manager_email="chef@x.fr"),
            ]
        ),
    )
    assert [row.kind for row in made.rows] == [Kind.CREATE, Kind.CREATE]


def test_a_manager_of_another_employer_is_not_found(employer):
    AgentFactory(user__email="chef@x.fr")
    row = only_row(plan(employer, csv_bytes([agent_row("a@x.fr", manager_email="chef@x.fr")])))
    assert row.kind == Kind.REJECT


def test_the_team_of_a_rejected_manager_is_rejected_with_the_reason(employer):
    made = plan(
        employer,
        csv_bytes(
            [
                agent_row("a@x.fr", manager_email="chef@x.fr"),
                agent_row("chef@x.fr", category="Z"),
            ]
        ),
    )
    assert made.rows[0].errors == ["La ligne 3 de son responsable (chef@x.fr) est rejetée."]


def test_a_full_extract_lists_the_active_agents_absent_from_it(employer, django_user_model):
    kept = AgentFactory(user__email="a@x.fr", service__organisation=employer)
    gone = AgentFactory(service__organisation=employer)
    AgentFactory(service__organisation=employer, user__is_active=False)
    AgentFactory()  # another employer's
    made = plan(employer, csv_bytes([agent_row("a@x.fr")]), full=True)
    assert made.deactivate == [gone.user_id]
    assert kept.user_id not in made.deactivate
    assert plan(employer, csv_bytes([agent_row("a@x.fr")])).deactivate == []


def test_a_full_extract_never_deactivates_whoever_imports_it(employer):
    importer = AgentFactory(service__organisation=employer).user
    made = plan(employer, csv_bytes([agent_row("a@x.fr")]), full=True, by=importer)
    assert made.deactivate == []


def test_a_full_extract_without_a_valid_row_is_refused(employer):
    AgentFactory(service__organisation=employer)
    with pytest.raises(FullExtractRefused, match="désactiverait tous les agents"):
        plan(employer, csv_bytes([agent_row("a@x.fr", category="Z")]), full=True)


def test_planning_writes_nothing(employer):
    plan(employer, csv_bytes([agent_row("a@x.fr", service="Nouveau bureau")]))
    assert not User.objects.exists()
