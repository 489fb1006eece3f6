import pytest
from django.contrib import admin
from django.db import connection
from django.test.html import parse_html
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bpp.people.admin_site import BoundedCountPaginator
from bpp.people.models import Role, User
from tests.people.factories import AgentFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr_admin(client, world):
    client.force_login(world.users["hr_admin"])
    return world.users["hr_admin"]


def test_the_hr_admin_lists_only_the_people_of_their_employers(client, world, hr_admin):
    response = client.get(reverse("admin:people_user_changelist"))

    assert world.users["agent"].email in response.text
    assert world.users["other_agent"].email not in response.text


def test_the_hr_admin_cannot_open_a_person_of_another_employer(client, world, hr_admin):
    url = reverse("admin:people_user_change", args=[world.users["other_agent"].pk])

    response = client.get(url)

    # The admin answers "does not exist" with a redirect to its index.
    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def test_organisation_choices_are_limited_to_the_hr_admins_employers(client, world, hr_admin):
    response = client.get(reverse("admin:people_service_add"))

    assert world.organisation.name in response.text
    assert world.other_organisation.name not in response.text


def test_the_user_list_filters_by_role_without_duplicates(client, world, hr_admin):
    agent = AgentFactory(organisation=world.organisation, service=world.service)
    RoleFactory(user=agent.user, role=Role.CMC, organisation=world.organisation)

    response = client.get(reverse("admin:people_user_changelist"))

    assert response.text.count(agent.user.email) == 1


def test_a_superuser_sees_everyone(client, world):
    client.force_login(AgentFactory(user__is_superuser=True).user)

    response = client.get(reverse("admin:people_user_changelist"))

    assert world.users["other_agent"].email in response.text


def test_admin_pages_are_in_french(client, hr_admin):
    response = client.get(reverse("admin:index"))

    assert "Personnes et organisations" in response.text
    assert "Utilisateurs" in response.text


def test_the_hr_admin_sees_and_edits_a_person_s_profile_and_roles(client, world, hr_admin):
    page = client.get(reverse("admin:people_user_change", args=[world.users["agent"].pk])).text

    assert "Publics prioritaires et droits" in page
    assert 'name="role_assignments-TOTAL_FORMS"' in page


def test_the_hr_admin_reads_a_request_s_history(client, world, hr_admin):
    world.request.approve(by=world.users["manager"])

    page = client.get(reverse("admin:requests_reviewrequest_change", args=[world.request.pk])).text

    # The transition's row: from "awaiting" (the request is approved now).
    assert "En attente de décision" in page


def test_the_hr_admin_fills_in_the_dpo_of_their_employer_and_the_notice_shows_it(
    client, world, hr_admin
):
    organisation = world.organisation
    url = reverse("admin:people_organisation_change", args=[organisation.pk])
    response = client.post(
        url,
        {
            "name": organisation.name,
            "kind": organisation.kind,
            "versant": organisation.versant,
            "parent": "",
            "controller_name": "Ministère de l’Exemple, secrétariat général",
            "dpo_name": "Claire Dupont",
            "dpo_email": "dpo@exemple.gouv.fr",
            "dpo_address": "",
        },
    )
    assert response.status_code == 302

    client.force_login(world.users["agent"])
    notice = client.get(reverse("privacy")).text
    assert "Ministère de l’Exemple, secrétariat général" in notice
    assert "dpo@exemple.gouv.fr" in notice


def test_a_malformed_dpo_address_is_refused_and_nothing_changes(client, world, hr_admin):
    organisation = world.organisation
    url = reverse("admin:people_organisation_change", args=[organisation.pk])
    response = client.post(
        url,
        {
            "name": organisation.name,
            "kind": organisation.kind,
            "versant": organisation.versant,
            "dpo_email": "pas-une-adresse",
        },
    )
    assert response.status_code == 200
    organisation.refresh_from_db()
    assert organisation.dpo_email == ""


@pytest.mark.parametrize(
    "changelist",
    [
        "admin:people_user_changelist",
        "admin:requests_reviewrequest_changelist",
        "admin:cohorts_cohort_changelist",
    ],
)
def test_long_lists_need_no_distinct_nor_a_second_full_count(client, world, hr_admin, changelist):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(changelist), {"q": "a"})

    assert response.status_code == 200
    # The queries of the list (searched), not the filters' choices nor the date
    # hierarchy's years (a DISTINCT of their own, over one column).
    sql = [
        q["sql"].upper()
        for q in queries.captured_queries
        if "LIKE" in q["sql"] and "datefield" not in q["sql"]
    ]
    assert not [s for s in sql if "DISTINCT" in s]
    assert len([s for s in sql if "COUNT(" in s]) == 1  # the page's own


def test_the_role_filter_lists_a_person_with_two_roles_once(client, world, hr_admin):
    agent = AgentFactory(organisation=world.organisation, service=world.service)
    RoleFactory(user=agent.user, role=Role.CMC, organisation=world.organisation)
    RoleFactory(user=agent.user, role=Role.HR, organisation=world.organisation)

    cmc = client.get(reverse("admin:people_user_changelist"), {"role": Role.CMC}).text

    assert cmc.count(agent.user.email) == 1
    assert world.users["agent"].email not in cmc


def test_a_long_list_is_counted_up_to_a_bound(client, world, hr_admin, monkeypatch):
    monkeypatch.setattr(BoundedCountPaginator, "bound", 2)

    response = client.get(reverse("admin:people_user_changelist"))

    assert response.context["cl"].result_count == 3  # the bound and one more, no further
    assert "Plus de 2 utilisateurs" in response.text


def test_the_people_list_includes_those_who_only_hold_a_role_in_the_employer(
    client, world, hr_admin
):
    consultant = RoleFactory(role=Role.CMC, organisation=world.organisation).user
    elsewhere = RoleFactory(role=Role.CMC, organisation=world.other_organisation).user

    listed = client.get(reverse("admin:people_user_changelist")).context["cl"].result_list

    assert consultant in listed
    assert elsewhere not in listed


def test_namesakes_are_listed_in_the_order_their_accounts_were_created(client, world, hr_admin):
    namesakes = [
        AgentFactory(service=world.service, user__last_name="Aubert", user__first_name="Anne").user
        for _ in range(3)
    ]

    listed = client.get(reverse("admin:people_user_changelist")).context["cl"].result_list

    assert [user for user in listed if user.last_name == "Aubert"] == namesakes


def test_the_people_list_runs_the_same_queries_however_many_people(client, world, hr_admin):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("admin:people_user_changelist")).status_code == 200
        return len(captured)

    few = queries()
    AgentFactory.create_batch(5, service=world.service)
    RoleFactory.create_batch(2, role=Role.CMC, organisation=world.organisation)

    assert queries() == few


def test_a_row_s_checkbox_is_django_s_own(world):
    model_admin = admin.site.get_model_admin(User)
    person = UserFactory(first_name="Zoé <b>", last_name="O’Brien & fils")

    ours = model_admin.action_checkbox(person)

    assert parse_html(ours) == parse_html(admin.ModelAdmin.action_checkbox(model_admin, person))


def test_the_lists_offer_no_counts_by_filter_choice(client, world, hr_admin):
    url = reverse("admin:people_user_changelist")
    with CaptureQueriesContext(connection) as plain:
        offered = client.get(url)
    with CaptureQueriesContext(connection) as asked_for_counts:
        asked = client.get(url, {"_facets": "True"})

    assert "_facets" not in offered.text
    assert asked.status_code == 200
    assert len(asked_for_counts) == len(plain)
