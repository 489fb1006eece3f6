"""The manager or HR asks the agent to share the synthesis; nothing is shown before the
agent accepts, and an accepted ask is an ordinary consent."""

import pytest
from django.test import Client
from django.urls import reverse

from bpp.people.models import Role
from synthesis.models import (
    Audience,
    Consent,
    ShareRequest,
    ShareRequestState,
    SharingError,
    ask,
)
from synthesis.services import answer_share_request
from tests import test_escalation
from tests.people.factories import AgentFactory, RoleFactory, UserFactory
from tests.synthesis.factories import finalise, sign_both
from tests.synthesis.views.test_sharing import MARKER, PERSONAL, marked
from tests.test_escalation import admin_user_data, assert_reads_nothing, signed_in

# The escalation tests' fixture `case`: an employer, its HR admin, an agent, their manager.
escalation_case = test_escalation.case

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_world(world):
    """The world's synthesis, marked and signed, its agent managed by the world's manager."""
    agent = world.synthesis.enrolment.agent
    agent.manager = world.users["manager"]
    agent.save()
    marked(world.synthesis)
    finalise(world.synthesis)
    sign_both(world.synthesis)
    return world


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ask_url(world) -> str:
    return reverse("synthesis:ask", args=[world.synthesis.enrolment.agent_id])


def detail(world) -> str:
    return reverse("synthesis:detail", args=[world.synthesis.pk])


def answer(client, share_request, accepted: str):
    return client.post(
        reverse("synthesis:answer_share_request", args=[share_request.pk]),
        {"accepted": accepted},
        follow=True,
    )


def agent_client(world) -> Client:
    return login(world.synthesis.enrolment.agent.user)


# Asking ---------------------------------------------------------------------------------


def test_the_manager_asks_and_the_agent_is_told_with_the_message(signed_world, django_tasks):
    manager = signed_world.users["manager"]

    response = login(manager).post(
        ask_url(signed_world), {"audience": "manager", "message": "Pour préparer l’entretien."}
    )

    assert response.status_code == 302
    share_request = ShareRequest.objects.get()
    assert (share_request.asked_by, share_request.audience) == (manager, Audience.MANAGER)
    assert share_request.is_pending and share_request.organisation is None
    [mail] = django_tasks.emails()
    assert mail["to"] == [signed_world.synthesis.enrolment.agent.user.email]
    assert "vous demande de partager votre document de synthèse" in mail["subject"]
    assert "Pour préparer l’entretien." in mail["text"]
    assert MARKER not in mail["text"]
    assert "En attente de réponse" in login(manager).get(ask_url(signed_world)).text


def test_hr_of_the_employer_asks_for_the_hr_service(signed_world):
    login(signed_world.users["hr"]).post(ask_url(signed_world), {"audience": "rh"})

    share_request = ShareRequest.objects.get()
    assert share_request.audience == Audience.HR
    assert share_request.organisation == signed_world.organisation


def test_one_who_is_both_manager_and_hr_chooses_as_whom(signed_world):
    manager = signed_world.users["manager"]
    RoleFactory(user=manager, role=Role.HR, organisation=signed_world.organisation)

    page = login(manager).get(ask_url(signed_world)).text

    assert "Supérieur hiérarchique de l’agent" in page and "Service RH" in page


@pytest.mark.parametrize(
    "persona", ["cmc", "hr_admin", "disability_officer", "provider", "agent", "other_agent"]
)
def test_nobody_else_may_ask_nor_see_the_page(signed_world, persona):
    client = signed_world.client(persona)

    assert client.get(ask_url(signed_world)).status_code == 404
    assert client.post(ask_url(signed_world), {"audience": "manager"}).status_code == 404
    assert client.post(ask_url(signed_world), {"audience": "rh"}).status_code == 404
    assert not ShareRequest.objects.exists()


def test_the_agent_does_not_ask_themselves(signed_world):
    client = agent_client(signed_world)

    assert client.get(ask_url(signed_world)).status_code == 404


def test_hr_of_another_employer_and_another_team_s_manager_get_404(signed_world):
    foreign_hr = RoleFactory(role=Role.HR, organisation=signed_world.other_organisation).user
    other_manager = RoleFactory(role=Role.MANAGER, organisation=signed_world.organisation).user
    AgentFactory(service=signed_world.service, manager=other_manager)  # manages someone else

    for user in (foreign_hr, other_manager):
        assert login(user).post(ask_url(signed_world), {"audience": "rh"}).status_code == 404
    assert not ShareRequest.objects.exists()


def test_a_manager_may_not_ask_as_hr_nor_hr_as_manager(signed_world):
    login(signed_world.users["manager"]).post(ask_url(signed_world), {"audience": "rh"})
    login(signed_world.users["hr"]).post(ask_url(signed_world), {"audience": "manager"})

    assert not ShareRequest.objects.exists()


def test_the_model_refuses_whoever_is_not_entitled(signed_world):
    for user in (signed_world.users["cmc"], signed_world.users["hr_admin"], UserFactory()):
        for audience in Audience.values:
            with pytest.raises(SharingError):
                ask(signed_world.synthesis, audience, by=user)
    former = signed_world.users["manager"]
    agent = signed_world.synthesis.enrolment.agent
    agent.manager = None
    agent.save()
    with pytest.raises(SharingError):
        ask(signed_world.synthesis, Audience.MANAGER, by=former)
    assert not ShareRequest.objects.exists()


def test_a_synthesis_not_yet_signed_cannot_be_asked_for(world):
    agent = world.synthesis.enrolment.agent
    agent.manager = world.users["manager"]
    agent.save()
    client = login(world.users["manager"])

    page = client.get(ask_url(world)).text
    client.post(ask_url(world), {"audience": "manager"})

    assert "n’a pas de document de synthèse signé" in page
    assert not ShareRequest.objects.exists()
    with pytest.raises(SharingError, match="pas signé"):
        ask(world.synthesis, Audience.MANAGER, by=world.users["manager"])


def test_no_second_pending_ask_for_the_same_recipient(signed_world):
    hr = signed_world.users["hr"]
    colleague = RoleFactory(role=Role.HR, organisation=signed_world.organisation).user
    login(hr).post(ask_url(signed_world), {"audience": "rh"})

    again = login(hr).post(ask_url(signed_world), {"audience": "rh"}, follow=True)
    login(colleague).post(ask_url(signed_world), {"audience": "rh"})

    assert "Une demande de partage attend déjà la réponse de l’agent." in again.text
    assert ShareRequest.objects.count() == 1


def test_no_ask_once_the_agent_already_shares_with_the_asker(signed_world):
    Consent.objects.create(
        synthesis=signed_world.synthesis,
        audience=Audience.MANAGER,
        recipient=signed_world.users["manager"],
        granted_at=signed_world.synthesis.signed_at,
    )

    with pytest.raises(SharingError, match="déjà"):
        ask(signed_world.synthesis, Audience.MANAGER, by=signed_world.users["manager"])


def test_the_message_is_bounded(signed_world):
    response = login(signed_world.users["manager"]).post(
        ask_url(signed_world), {"audience": "manager", "message": "x" * 501}
    )

    assert response.status_code == 200
    assert "500" in response.text
    assert not ShareRequest.objects.exists()


# Before the answer, nothing -----------------------------------------------------------


@pytest.mark.parametrize("persona", ["manager", "hr"])
def test_the_asker_reads_nothing_before_acceptance(signed_world, persona):
    audience = {"manager": "manager", "hr": "rh"}[persona]
    client = signed_world.client(persona)
    client.post(ask_url(signed_world), {"audience": audience, "message": "Merci"})

    for url in (
        detail(signed_world),
        reverse("synthesis:pdf", args=[signed_world.synthesis.pk]),
        reverse("synthesis:version", args=[signed_world.synthesis.pk, 1]),
    ):
        assert client.get(url).status_code == 404
    for url in (ask_url(signed_world), reverse("synthesis:index"), reverse("home")):
        text = client.get(url, follow=True).text
        assert MARKER not in text and PERSONAL not in text


# The agent's answer ----------------------------------------------------------------------


def test_the_agent_sees_the_pending_ask_at_home_and_on_the_sharing_page(signed_world):
    login(signed_world.users["manager"]).post(
        ask_url(signed_world), {"audience": "manager", "message": "Pour notre entretien"}
    )
    client = agent_client(signed_world)
    sharing = reverse("synthesis:sharing", args=[signed_world.synthesis.pk])

    home = client.get(reverse("portals:agent")).text
    page = client.get(sharing).text

    assert "Une demande de partage de votre synthèse" in home and sharing in home
    assert "votre manager, vous demande de partager votre synthèse" in page
    assert "Pour notre entretien" in page
    assert "Accepter" in page and "Décliner" in page


def test_accepting_gives_the_same_consent_and_tells_the_asker(signed_world, django_tasks):
    manager = signed_world.users["manager"]
    login(manager).post(ask_url(signed_world), {"audience": "manager"})
    django_tasks.clear()

    response = answer(agent_client(signed_world), ShareRequest.objects.get(), "oui")

    assert "peut désormais lire votre synthèse" in response.text
    consent = Consent.objects.live().get()
    assert (consent.audience, consent.recipient, consent.organisation) == (
        Audience.MANAGER,
        manager,
        None,
    )
    assert ShareRequest.objects.get().state == ShareRequestState.ACCEPTED
    [mail] = django_tasks.emails()
    assert mail["to"] == [manager.email] and "a accepté" in mail["subject"]
    assert MARKER not in mail["text"]
    page = login(manager).get(detail(signed_world))
    assert page.status_code == 200
    assert MARKER in page.text and PERSONAL not in page.text
    # Revoking works as for any consent.
    client = agent_client(signed_world)
    client.post(
        reverse("synthesis:sharing", args=[signed_world.synthesis.pk]),
        {"audience": "manager", "action": "revoke"},
    )
    assert login(manager).get(detail(signed_world)).status_code == 404


def test_an_accepted_hr_ask_lets_the_hr_service_read(signed_world):
    login(signed_world.users["hr"]).post(ask_url(signed_world), {"audience": "rh"})
    colleague = RoleFactory(role=Role.HR, organisation=signed_world.organisation).user

    answer(agent_client(signed_world), ShareRequest.objects.get(), "oui")

    assert Consent.objects.live().get().organisation == signed_world.organisation
    assert login(colleague).get(detail(signed_world)).status_code == 200


def test_declining_tells_the_asker_and_shows_nothing(signed_world, django_tasks):
    manager = signed_world.users["manager"]
    login(manager).post(ask_url(signed_world), {"audience": "manager"})
    django_tasks.clear()

    response = answer(agent_client(signed_world), ShareRequest.objects.get(), "non")

    assert "Demande déclinée" in response.text
    assert not Consent.objects.exists()
    [mail] = django_tasks.emails()
    assert mail["to"] == [manager.email] and "a décliné" in mail["subject"]
    assert login(manager).get(detail(signed_world)).status_code == 404
    assert "Déclinée le" in login(manager).get(ask_url(signed_world)).text


def test_the_agent_answers_once(signed_world):
    login(signed_world.users["manager"]).post(ask_url(signed_world), {"audience": "manager"})
    share_request = ShareRequest.objects.get()
    client = agent_client(signed_world)
    answer(client, share_request, "non")

    response = answer(client, share_request, "oui")

    assert "Vous avez déjà répondu à cette demande." in response.text
    assert not Consent.objects.exists()


@pytest.mark.parametrize("persona", ["manager", "hr", "cmc", "agent", "other_agent", "hr_admin"])
def test_only_the_agent_answers(signed_world, persona):
    login(signed_world.users["manager"]).post(ask_url(signed_world), {"audience": "manager"})
    share_request = ShareRequest.objects.get()

    response = signed_world.client(persona).post(
        reverse("synthesis:answer_share_request", args=[share_request.pk]), {"accepted": "oui"}
    )

    assert response.status_code == 404
    assert not Consent.objects.exists()


def test_a_malformed_answer_changes_nothing(signed_world):
    login(signed_world.users["manager"]).post(ask_url(signed_world), {"audience": "manager"})

    response = answer(agent_client(signed_world), ShareRequest.objects.get(), "peut-être")

    assert "Choix invalide : rien n’a changé." in response.text
    assert ShareRequest.objects.get().is_pending


def test_sharing_unasked_answers_the_pending_ask(signed_world, django_tasks):
    manager = signed_world.users["manager"]
    login(manager).post(ask_url(signed_world), {"audience": "manager"})
    django_tasks.clear()

    agent_client(signed_world).post(
        reverse("synthesis:sharing", args=[signed_world.synthesis.pk]),
        {"audience": "manager", "action": "grant"},
    )

    assert ShareRequest.objects.get().state == ShareRequestState.ACCEPTED
    assert Consent.objects.live().get().recipient == manager
    assert [m["to"] for m in django_tasks.emails()] == [[manager.email]]


# A change of manager -----------------------------------------------------------------------


def change_manager(world, to):
    agent = world.synthesis.enrolment.agent
    agent.manager = to
    agent.save()


def test_a_manager_changed_after_the_ask_cannot_be_let_in(signed_world):
    former = signed_world.users["manager"]
    login(former).post(ask_url(signed_world), {"audience": "manager"})
    share_request = ShareRequest.objects.get()
    newcomer = RoleFactory(role=Role.MANAGER, organisation=signed_world.organisation).user
    change_manager(signed_world, newcomer)
    client = agent_client(signed_world)

    home = client.get(reverse("portals:agent")).text
    sharing = client.get(reverse("synthesis:sharing", args=[signed_world.synthesis.pk])).text
    response = answer(client, share_request, "oui")

    assert "Une demande de partage de votre synthèse" not in home
    assert "Sans suite" in sharing and "Accepter" not in sharing
    assert "cette demande est sans suite" in response.text
    assert not Consent.objects.exists()
    assert login(former).get(detail(signed_world)).status_code == 404
    assert login(newcomer).get(detail(signed_world)).status_code == 404
    assert login(former).get(ask_url(signed_world)).status_code == 404
    # The new manager may ask in turn; the former's ask is closed as "sans suite".
    login(newcomer).post(ask_url(signed_world), {"audience": "manager"})
    assert ShareRequest.objects.get(pk=share_request.pk).state == ShareRequestState.LAPSED
    assert ShareRequest.objects.pending().get().asked_by == newcomer


def test_a_manager_changed_after_acceptance_loses_access(signed_world):
    former = signed_world.users["manager"]
    login(former).post(ask_url(signed_world), {"audience": "manager"})
    answer(agent_client(signed_world), ShareRequest.objects.get(), "oui")
    assert login(former).get(detail(signed_world)).status_code == 200
    newcomer = RoleFactory(role=Role.MANAGER, organisation=signed_world.organisation).user

    change_manager(signed_world, newcomer)

    assert login(former).get(detail(signed_world)).status_code == 404
    assert login(newcomer).get(detail(signed_world)).status_code == 404
    assert (
        str(signed_world.synthesis.enrolment.agent)
        not in login(former)
        .get(reverse("portals:manager"))
        .text.split("Synthèses partagées avec moi")[1]
    )


def test_the_consent_names_the_asker_even_if_the_manager_changes_meanwhile(signed_world):
    """Acceptance checks the asker and names them: never whoever is manager by then."""
    former = signed_world.users["manager"]
    login(former).post(ask_url(signed_world), {"audience": "manager"})
    share_request = ShareRequest.objects.select_related("synthesis__enrolment__agent").get()
    newcomer = RoleFactory(role=Role.MANAGER, organisation=signed_world.organisation).user
    change_manager(signed_world, newcomer)

    with pytest.raises(SharingError):
        answer_share_request(share_request=share_request, accepted=True)

    assert not Consent.objects.exists()


def test_hr_who_lost_the_role_cannot_be_let_in(signed_world):
    hr = signed_world.users["hr"]
    login(hr).post(ask_url(signed_world), {"audience": "rh"})
    hr.role_assignments.all().delete()

    response = answer(agent_client(signed_world), ShareRequest.objects.get(), "oui")

    assert "sans suite" in response.text
    assert not Consent.objects.exists()


# Lists, links, destruction --------------------------------------------------------------


def test_team_pages_offer_to_ask_only_for_a_signed_synthesis(signed_world, world):
    url = ask_url(signed_world)
    manager_page = (
        login(signed_world.users["manager"])
        .get(reverse("portals:manager"), {"onglet": "equipe"})
        .text
    )
    hr_page = login(signed_world.users["hr"]).get(reverse("portals:hr"), {"onglet": "agents"}).text

    assert url in manager_page and url in hr_page
    assert manager_page.count("Demander le partage de sa synthèse") == 1


def test_the_asker_follows_their_asks_on_the_syntheses_page(signed_world):
    manager = signed_world.users["manager"]
    login(manager).post(ask_url(signed_world), {"audience": "manager"})

    page = login(manager).get(reverse("synthesis:index")).text

    assert "Mes demandes de partage" in page and "En attente de réponse" in page


def test_destroying_the_synthesis_erases_its_asks(signed_world):
    login(signed_world.users["manager"]).post(
        ask_url(signed_world), {"audience": "manager", "message": "Trace"}
    )

    signed_world.synthesis.destroy()

    assert not ShareRequest.objects.exists()


def test_pages_run_a_bounded_number_of_queries(signed_world, django_assert_max_num_queries):
    manager = login(signed_world.users["manager"])
    manager.post(ask_url(signed_world), {"audience": "manager"})
    agent = agent_client(signed_world)

    with django_assert_max_num_queries(12):
        manager.get(ask_url(signed_world))
    with django_assert_max_num_queries(16):
        agent.get(reverse("synthesis:sharing", args=[signed_world.synthesis.pk]))


# Through the admin, as an HR admin would ---------------------------------------------------


def test_an_hr_admin_changing_the_manager_after_the_ask_lets_nobody_in(escalation_case):
    case = escalation_case
    ask_page = reverse("synthesis:ask", args=[case.synthesis.enrolment.agent_id])
    signed_in(case.manager).post(ask_page, {"audience": "manager"})
    new_manager = RoleFactory(
        role=Role.MANAGER, organisation=case.synthesis.enrolment.cohort.organisation
    ).user
    admin = signed_in(case.hr_admin)
    url, data = admin_user_data(admin, case.agent)
    data["agent_profile-0-manager"] = [str(new_manager.pk)]
    assert admin.post(url, data).status_code == 302

    response = answer(signed_in(case.agent), ShareRequest.objects.get(), "oui")

    assert "sans suite" in response.text
    assert not Consent.objects.exists()
    assert_reads_nothing(case.manager, case.synthesis)
    assert_reads_nothing(new_manager, case.synthesis)
    assert signed_in(case.manager).get(ask_page).status_code == 404


def test_an_hr_admin_changing_the_manager_after_acceptance_ends_the_consent(escalation_case):
    case = escalation_case
    ask_page = reverse("synthesis:ask", args=[case.synthesis.enrolment.agent_id])
    signed_in(case.manager).post(ask_page, {"audience": "manager"})
    answer(signed_in(case.agent), ShareRequest.objects.get(), "oui")
    detail_url = reverse("synthesis:detail", args=[case.synthesis.pk])
    assert signed_in(case.manager).get(detail_url).status_code == 200
    new_manager = RoleFactory(
        role=Role.MANAGER, organisation=case.synthesis.enrolment.cohort.organisation
    ).user
    admin = signed_in(case.hr_admin)
    url, data = admin_user_data(admin, case.agent)
    data["agent_profile-0-manager"] = [str(new_manager.pk)]

    assert admin.post(url, data).status_code == 302

    assert_reads_nothing(case.manager, case.synthesis)
    assert_reads_nothing(new_manager, case.synthesis)
    assert (
        "a pris fin"
        in signed_in(case.agent).get(reverse("synthesis:sharing", args=[case.synthesis.pk])).text
    )
