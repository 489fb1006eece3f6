import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from bpp.people.models import AccountEvent, AgentProfile, ImportMapping, Service, User
from bpp.requests.models import ReviewRequest
from tests.people.factories import AgentFactory, OrganisationFactory, ServiceFactory
from tests.people.imports.helpers import agent_row, csv_bytes, run_import, xlsx_bytes
from tests.requests.factories import ReviewRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def employer():
    return OrganisationFactory(name="Ministère des essais")


def counts(created=0, updated=0, unchanged=0, rejected=0, deactivated=0) -> dict:
    return {
        "creation": created,
        "modification": updated,
        "inchange": unchanged,
        "rejet": rejected,
        "desactivation": deactivated,
    }


def test_agents_are_created_with_their_service_and_profile(employer):
    content = csv_bytes(
        [
            agent_row("claire.martin@x.fr", category="C", holds_level4_diploma="non"),
            agent_row("paul@x.fr", first_name="Paul", post_start_date="2022-05-02"),
            agent_row("faux", category="Z"),
        ]
    )
    assert run_import(employer, content) == counts(created=2, rejected=1)
    profile = AgentProfile.objects.select_related("user", "service").get(
        user__email="claire.martin@x.fr"
    )
    assert profile.organisation == employer
    assert profile.service.name == "Bureau des affaires générales"
    assert profile.is_priority
    assert (profile.user.first_name, profile.user.last_name) == ("Claire", "Martin")
    assert not profile.user.has_usable_password()
    assert Service.objects.filter(organisation=employer).count() == 1
    assert AgentProfile.objects.get(user__email="paul@x.fr").post_start_date == datetime.date(
        2022, 5, 2
    )


def test_importing_the_same_file_again_changes_nothing(employer):
    content = csv_bytes(
        [
            agent_row("a@x.fr", manager_email="chef@x.fr", covered_by_l5212_13="x"),
            agent_row("chef@x.fr", first_name="Nadia", service="Direction"),
        ]
    )
    assert run_import(employer, content, full=True) == counts(created=2)
    before = list(AgentProfile.objects.values().order_by("pk"))
    assert run_import(employer, content, full=True) == counts(unchanged=2)
    assert list(AgentProfile.objects.values().order_by("pk")) == before
    xlsx = xlsx_bytes(
        [
            agent_row("a@x.fr", manager_email="chef@x.fr", covered_by_l5212_13="x"),
            agent_row("chef@x.fr", first_name="Nadia", service="Direction"),
        ]
    )
    assert run_import(employer, xlsx, filename="rh.xlsx") == counts(unchanged=2)


def test_a_manager_is_resolved_inside_the_file(employer):
    content = csv_bytes(
        [
            agent_row("a@x.fr", manager_email="CHEF@x.fr"),
            agent_row("chef@x.fr", first_name="Nadia"),
        ]
    )
    run_import(employer, content)
    agent = AgentProfile.objects.get(user__email="a@x.fr")
    assert agent.manager.email == "chef@x.fr"


def test_an_update_changes_the_profile_and_records_the_new_manager(employer):
    chief = AgentFactory(
        service__organisation=employer, user__first_name="Nadia", user__last_name="Benali"
    )
    agent = AgentFactory(user__email="a@x.fr", service__organisation=employer)
    content = csv_bytes(
        [agent_row("a@x.fr", manager_email=chief.user.email, function_title="Attachée")]
    )
    assert run_import(employer, content) == counts(updated=1)
    agent.refresh_from_db()
    assert (agent.manager, agent.function_title) == (chief.user, "Attachée")
    event = AccountEvent.objects.get(user=agent.user)
    assert (event.kind, event.detail) == (AccountEvent.Kind.MANAGER_CHANGED, "Nadia Benali")


def test_a_full_extract_deactivates_the_absent_never_deletes_them(employer):
    absent = AgentFactory(service__organisation=employer)
    request = ReviewRequestFactory(agent=absent)
    other_employer = AgentFactory()
    content = csv_bytes([agent_row("a@x.fr")])
    assert run_import(employer, content, full=True) == counts(created=1, deactivated=1)
    absent.user.refresh_from_db()
    assert not absent.user.is_active
    assert ReviewRequest.objects.filter(pk=request.pk, agent=absent).exists()
    assert User.objects.get(pk=other_employer.user_id).is_active


def test_an_agent_back_in_the_file_is_reactivated(employer):
    agent = AgentFactory(
        user__email="a@x.fr",
        user__is_active=False,
        user__first_name="Claire",
        user__last_name="Martin",
        service__organisation=employer,
        service__name="Bureau des affaires générales",
        function_title="Secrétaire administrative",
    )
    assert run_import(employer, csv_bytes([agent_row("a@x.fr")])) == counts(updated=1)
    agent.user.refresh_from_db()
    assert agent.user.is_active


def test_a_change_of_priority_grounds_refreshes_the_stored_priority_of_requests(employer):
    agent = AgentFactory(user__email="a@x.fr", service__organisation=employer)
    other = AgentFactory(user__email="b@x.fr", service__organisation=employer)
    request = ReviewRequestFactory(agent=agent)
    untouched = ReviewRequestFactory(agent=other)
    assert not request.is_priority
    content = csv_bytes([agent_row("a@x.fr", covered_by_l5212_13="oui"), agent_row("b@x.fr")])
    run_import(employer, content)
    assert ReviewRequest.objects.get(pk=request.pk).is_priority
    assert not ReviewRequest.objects.get(pk=untouched.pk).is_priority


def test_an_existing_account_without_a_profile_becomes_an_agent(employer):
    user = User.objects.create_user("cmc@x.fr", first_name="Lou", last_name="Roy")
    assert run_import(employer, csv_bytes([agent_row("cmc@x.fr")])) == counts(created=1)
    assert AgentProfile.objects.get(user=user).organisation == employer


def test_the_command_imports_with_a_saved_mapping_or_the_preset(employer, tmp_path):
    path = tmp_path / "rh.csv"
    path.write_bytes(csv_bytes([agent_row("a@x.fr"), agent_row("b@x.fr", category="Z")]))
    out, err = io.StringIO(), io.StringIO()
    call_command("import_agents", employer.name, str(path), "--dry-run", stdout=out, stderr=err)
    assert "Aperçu — à créer : 1, à modifier : 0, inchangé : 0, rejeté : 1" in out.getvalue()
    assert "Ligne 3 : Catégorie : « Z » n’est pas une catégorie A, B ou C." in err.getvalue()
    assert not User.objects.exists()
    call_command("import_agents", str(employer.pk), str(path), "--mapping", "renoirh", stdout=out)
    assert User.objects.count() == 1
    with pytest.raises(CommandError, match="Aucune correspondance « maison »"):
        call_command("import_agents", employer.name, str(path), "--mapping", "maison")
    ImportMapping.objects.create(
        organisation=employer, name="maison", columns={"email": "Courriel professionnel"}
    )
    with pytest.raises(CommandError, match="Aucune colonne pour : nom, prénom"):
        call_command("import_agents", employer.name, str(path), "--mapping", "maison")


def test_the_command_refuses_an_unknown_employer(tmp_path):
    with pytest.raises(CommandError, match="Aucun employeur « Nulle part »"):
        call_command("import_agents", "Nulle part", str(tmp_path / "x.csv"))


def test_a_service_is_matched_whatever_its_case(employer):
    service = ServiceFactory(organisation=employer, name="Bureau RH")
    run_import(employer, csv_bytes([agent_row("a@x.fr", service="bureau rh")]))
    assert AgentProfile.objects.get().service == service


def test_a_new_name_changes_the_account(employer):
    agent = AgentFactory(
        user__email="a@x.fr",
        user__first_name="Claire",
        user__last_name="Martin",
        service__organisation=employer,
        service__name="Bureau des affaires générales",
        function_title="Secrétaire administrative",
    )
    content = csv_bytes([agent_row("a@x.fr", last_name="Martin-Durand")])
    assert run_import(employer, content) == counts(updated=1)
    agent.user.refresh_from_db()
    assert agent.user.last_name == "Martin-Durand"
