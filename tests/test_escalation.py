"""
Every administrative action that could change who reads a synthesis, performed over HTTP
by the most privileged person who is not the agent (an HR admin of the employer): the
synthesis (page, versions, PDF, the cohort's ZIP) stays closed without the agent's
agreement, and the agent sees what happened.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from bpp.people.models import AccountEvent, Provider, ProviderContract, Role, RoleAssignment, User
from synthesis.models import Synthesis, grant
from tests.cohorts.factories import CohortFactory, EnrolmentFactory
from tests.html_forms import form_data
from tests.people.factories import AgentFactory, OrganisationFactory, ProviderFactory, RoleFactory
from tests.synthesis.factories import SynthesisFactory

pytestmark = pytest.mark.django_db


@dataclass
class Case:
    hr_admin: User
    agent: User
    manager: User
    cmc: User  # leads the cohort since before the synthesis was opened
    colleague: User  # a CMC of the employer who does not lead it
    provider: Provider  # under contract with the employer
    synthesis: Synthesis


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def case() -> Case:
    organisation = OrganisationFactory()
    provider = ProviderFactory()
    ProviderContract.objects.create(
        organisation=organisation,
        provider=provider,
        reference="M-1",
        starts_on=datetime.date(2020, 1, 1),
    )
    manager = RoleFactory(role=Role.MANAGER, organisation=organisation).user
    cmc = RoleFactory(role=Role.CMC, organisation=organisation).user
    cohort = CohortFactory(organisation=organisation)
    cohort.leaders.add(cmc)
    enrolment = EnrolmentFactory(
        cohort=cohort,
        request__agent__organisation=organisation,
        request__agent__service__organisation=organisation,
        request__agent__manager=manager,
    )
    return Case(
        hr_admin=RoleFactory(role=Role.HR_ADMIN, organisation=organisation).user,
        agent=enrolment.agent.user,
        manager=manager,
        cmc=cmc,
        colleague=RoleFactory(role=Role.CMC, organisation=organisation).user,
        provider=provider,
        synthesis=SynthesisFactory(enrolment=enrolment, signed=True),
    )


def assert_reads_nothing(user: User, synthesis: Synthesis) -> None:
    client = signed_in(user)
    for name, args in [
        ("synthesis:detail", [synthesis.pk]),
        ("synthesis:versions", [synthesis.pk]),
        ("synthesis:version", [synthesis.pk, 1]),
        ("synthesis:pdf", [synthesis.pk]),
    ]:
        status = client.get(reverse(name, args=args)).status_code
        assert status in (404, 410), f"{user} reads {name}: {status}"
    cohort = synthesis.enrolment.cohort_id
    zipped = client.get(reverse("synthesis:cohort_zip", args=[cohort]))
    assert zipped.status_code != 200 or zipped["Content-Type"] != "application/zip"


def admin_user_data(client: Client, user: User) -> tuple[str, dict]:
    url = reverse("admin:people_user_change", args=[user.pk])
    return url, form_data(client.get(url).text, containing="email")


# Leaders ----------------------------------------------------------------------------------


def test_a_leader_added_after_the_opening_reads_nothing_until_the_agent_agrees(case, django_tasks):
    admin = signed_in(case.hr_admin)
    edit = reverse("cohorts:edit", args=[case.synthesis.enrolment.cohort_id])
    data = form_data(admin.get(edit).text, containing="title")
    data["leaders"] = [str(case.cmc.pk), str(case.colleague.pk)]

    assert admin.post(edit, data).status_code == 302
    assert case.synthesis.enrolment.cohort.leaders.filter(pk=case.colleague.pk).exists()
    assert_reads_nothing(case.colleague, case.synthesis)
    # The agent is told, by e-mail and on the synthesis, and decides in one click.
    assert any(case.agent.email in mail["to"] for mail in django_tasks.emails())
    agent = signed_in(case.agent)
    page = agent.get(reverse("synthesis:detail", args=[case.synthesis.pk]))
    assert "ne la lit pas tant que vous ne l’acceptez pas" in page.text
    answer = reverse("synthesis:answer_leader", args=[case.synthesis.pk])
    agent.post(answer, {"leader": case.colleague.pk, "accepted": "oui"})
    detail = reverse("synthesis:detail", args=[case.synthesis.pk])
    assert signed_in(case.colleague).get(detail).status_code == 200
    agent.post(answer, {"leader": case.colleague.pk, "accepted": "non"})
    assert signed_in(case.colleague).get(detail).status_code == 404


def test_an_hr_admin_cannot_make_herself_a_leader(case):
    admin = signed_in(case.hr_admin)
    edit = reverse("cohorts:edit", args=[case.synthesis.enrolment.cohort_id])
    data = form_data(admin.get(edit).text, containing="title")
    data["leaders"] = [str(case.cmc.pk), str(case.hr_admin.pk)]

    response = admin.post(edit, data)

    assert response.status_code == 200  # the form again, with its error
    assert not case.synthesis.enrolment.cohort.leaders.filter(pk=case.hr_admin.pk).exists()
    assert_reads_nothing(case.hr_admin, case.synthesis)


def test_a_removed_leader_loses_access_at_once(case):
    admin = signed_in(case.hr_admin)
    edit = reverse("cohorts:edit", args=[case.synthesis.enrolment.cohort_id])
    data = form_data(admin.get(edit).text, containing="title")
    data["leaders"] = [str(case.colleague.pk)]

    admin.post(edit, data)

    assert_reads_nothing(case.cmc, case.synthesis)


def test_leaders_do_not_change_once_the_cohort_has_ended(case):
    cohort = case.synthesis.enrolment.cohort
    cohort.concluded_at = datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)
    cohort.save()
    admin = signed_in(case.hr_admin)
    edit = reverse("cohorts:edit", args=[cohort.pk])
    data = form_data(admin.get(edit).text, containing="title")
    data["leaders"] = [str(case.cmc.pk), str(case.colleague.pk)]

    admin.post(edit, data)

    assert list(cohort.leaders.all()) == [case.cmc]


# Roles --------------------------------------------------------------------------------------


def test_an_hr_admin_cannot_give_herself_a_role(case):
    admin = signed_in(case.hr_admin)
    url, data = admin_user_data(admin, case.hr_admin)
    prefix = "role_assignments"
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": ["2"],
            f"{prefix}-1-role": [Role.CMC],
            f"{prefix}-1-organisation": [str(case.synthesis.enrolment.cohort.organisation_id)],
        }
    )

    admin.post(url, data)

    assert list(case.hr_admin.role_assignments.values_list("role", flat=True)) == [Role.HR_ADMIN]


def test_a_provider_role_needs_a_provider_under_contract(case):
    stranger = ProviderFactory()
    admin = signed_in(case.hr_admin)
    url, data = admin_user_data(admin, case.colleague)
    prefix = "role_assignments"
    total = int(data[f"{prefix}-TOTAL_FORMS"][0])
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": [str(total + 1)],
            f"{prefix}-{total}-role": [Role.PROVIDER],
            f"{prefix}-{total}-provider": [str(stranger.pk)],
        }
    )

    response = admin.post(url, data)

    assert response.status_code == 200  # the form again, with its error
    assert not RoleAssignment.objects.filter(provider=stranger).exists()


def test_a_role_given_is_recorded_and_shown_to_the_person(case, django_tasks):
    organisation = case.synthesis.enrolment.cohort.organisation
    person = AgentFactory(organisation=organisation, service__organisation=organisation).user
    admin = signed_in(case.hr_admin)
    url, data = admin_user_data(admin, person)
    prefix = "role_assignments"
    total = int(data[f"{prefix}-TOTAL_FORMS"][0])
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": [str(total + 1)],
            f"{prefix}-{total}-role": [Role.CMC],
            f"{prefix}-{total}-organisation": [str(person.agent_profile.organisation_id)],
        }
    )

    assert admin.post(url, data).status_code == 302

    event = AccountEvent.objects.get(user=person)
    assert event.kind == AccountEvent.Kind.ROLE_ADDED and event.by == case.hr_admin
    assert "Conseiller mobilité-carrière" in signed_in(person).get(reverse("account")).text
    assert any(person.email in mail["to"] for mail in django_tasks.emails())
    # A CMC now, but not a leader: nothing to read.
    assert_reads_nothing(person, case.synthesis)


# The manager --------------------------------------------------------------------------------


def test_a_new_manager_reads_nothing_of_what_was_shared_with_the_former(case):
    grant(case.synthesis, "manager")
    detail = reverse("synthesis:detail", args=[case.synthesis.pk])
    assert signed_in(case.manager).get(detail).status_code == 200
    new_manager = RoleFactory(
        role=Role.MANAGER, organisation=case.synthesis.enrolment.cohort.organisation
    ).user
    admin = signed_in(case.hr_admin)
    url, data = admin_user_data(admin, case.agent)
    data["agent_profile-0-manager"] = [str(new_manager.pk)]

    assert admin.post(url, data).status_code == 302

    assert_reads_nothing(new_manager, case.synthesis)
    assert_reads_nothing(case.manager, case.synthesis)
    agent = signed_in(case.agent)
    sharing = agent.get(reverse("synthesis:sharing", args=[case.synthesis.pk])).text
    assert "a pris fin" in sharing
    assert "Manager changé" in agent.get(reverse("account")).text


# Passwords ----------------------------------------------------------------------------------


def test_nobody_sets_another_person_s_password(case):
    admin = signed_in(case.hr_admin)
    url = reverse("admin:auth_user_password_change", args=[case.agent.pk])

    assert admin.get(url).status_code == 403
    assert (
        admin.post(url, {"password1": "Un-mot-de-passe-2026", "password2": "x"}).status_code == 403
    )
    case.agent.refresh_from_db()
    assert not case.agent.check_password("Un-mot-de-passe-2026")


def test_the_admin_sends_a_reset_link_to_the_person_s_own_address(case, django_tasks):
    admin = signed_in(case.hr_admin)

    admin.post(
        reverse("admin:people_user_changelist"),
        {"action": "send_password_reset", "_selected_action": [case.agent.pk]},
    )

    [mail] = [m for m in django_tasks.emails() if case.agent.email in m["to"]]
    assert mail["to"] == [case.agent.email]
    assert "/mot-de-passe/" in mail["text"]
    assert AccountEvent.objects.filter(
        user=case.agent, kind=AccountEvent.Kind.PASSWORD_RESET_SENT, by=case.hr_admin
    ).exists()
    assert_reads_nothing(case.hr_admin, case.synthesis)


def test_a_new_account_has_no_password_anyone_knows(case, django_tasks):
    admin = signed_in(case.hr_admin)
    add = reverse("admin:people_user_add")
    data = form_data(admin.get(add).text, containing="email")
    data |= {"email": ["nouvelle@exemple.gouv.fr"], "first_name": ["Nina"], "last_name": ["Neuve"]}

    assert admin.post(add, data).status_code == 302

    user = User.objects.get(email="nouvelle@exemple.gouv.fr")
    assert not user.has_usable_password()
    assert any(user.email in m["to"] for m in django_tasks.emails())


# The provider's contract -------------------------------------------------------------------


def test_ending_a_provider_s_contract_opens_nothing(case):
    consultant = RoleFactory(role=Role.PROVIDER, organisation=None, provider=case.provider).user
    contract = ProviderContract.objects.get(provider=case.provider)
    admin = signed_in(case.hr_admin)
    url = reverse("admin:people_providercontract_change", args=[contract.pk])
    data = form_data(admin.get(url).text, containing="reference")
    data["ends_on"] = ["2021-01-01"]

    assert admin.post(url, data).status_code == 302

    assert_reads_nothing(consultant, case.synthesis)
    edit = reverse("cohorts:edit", args=[case.synthesis.enrolment.cohort_id])
    page = admin.get(edit).text
    assert f'value="{consultant.pk}"' not in page  # no longer offered as a leader
