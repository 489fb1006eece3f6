import pytest
from django.db import IntegrityError, transaction

from bpp.people.models import AgentProfile, Civility, Role, User, priority_public_q
from tests.people.factories import AgentFactory, OrganisationFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("traits", "expected"),
    [
        ({}, []),
        ({"category_c_without_diploma": True}, ["Catégorie C sans diplôme de niveau 4"]),
        ({"category": "C", "holds_level4_diploma": True}, []),
        ({"category": "B", "holds_level4_diploma": False}, []),
        ({"l5212_13": True}, ["Bénéficiaire de l’article L5212-13"]),
        ({"professional_wear": True}, ["Exposé à l’usure professionnelle"]),
        ({"restructuring": True}, []),
    ],
)
def test_priority_publics_follow_the_ordinance(traits, expected):
    agent = AgentFactory(**traits)

    assert agent.priority_reasons == expected
    # The queryset rule and the instance rule agree.
    assert AgentProfile.objects.filter(priority_public_q(), pk=agent.pk).exists() == bool(expected)


def test_an_agent_with_several_reasons_lists_them_all():
    agent = AgentFactory(category_c_without_diploma=True, l5212_13=True, professional_wear=True)

    assert len(agent.priority_reasons) == 3


def test_email_is_unique_whatever_the_case():
    UserFactory(email="claire.dupont@exemple.gouv.fr")

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="Claire.Dupont@exemple.gouv.fr", first_name="C", last_name="D")


def test_create_user_lowercases_the_email():
    user = User.objects.create_user(
        "Jean.Moulin@Exemple.gouv.fr", "x", first_name="J", last_name="M"
    )

    assert user.email == "jean.moulin@exemple.gouv.fr"


def test_an_agent_cannot_be_their_own_manager():
    agent = AgentFactory()
    agent.manager = agent.user

    with pytest.raises(IntegrityError), transaction.atomic():
        agent.save()


def test_a_provider_role_needs_a_provider_and_no_organisation():
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleFactory(role=Role.PROVIDER)  # organisation set, no provider


def test_an_employer_role_needs_an_organisation():
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleFactory(role=Role.CMC, organisation=None)


def test_the_same_role_twice_in_one_organisation_is_refused():
    assignment = RoleFactory(role=Role.HR)

    with pytest.raises(IntegrityError), transaction.atomic():
        RoleFactory(user=assignment.user, role=Role.HR, organisation=assignment.organisation)


def test_a_user_holds_several_roles_in_a_stable_order():
    agent = AgentFactory()
    RoleFactory(user=agent.user, role=Role.HR_ADMIN, organisation=agent.organisation)
    RoleFactory(user=agent.user, role=Role.CMC, organisation=agent.organisation)
    user = User.objects.get(pk=agent.user.pk)

    assert user.roles == [Role.AGENT, Role.CMC, Role.HR_ADMIN]


def test_roles_are_scoped_to_an_organisation():
    assignment = RoleFactory(role=Role.CMC)
    elsewhere = OrganisationFactory()

    assert assignment.user.organisations_for(Role.CMC) == [assignment.organisation]
    assert elsewhere not in assignment.user.organisations_for(Role.CMC)


@pytest.mark.parametrize(
    ("role", "civility", "title"),
    [
        (Role.CMC, Civility.MADAME, "Conseillère mobilité-carrière"),
        (Role.CMC, Civility.MONSIEUR, "Conseiller mobilité-carrière"),
        (Role.CMC, "", "Conseiller mobilité-carrière"),  # as the administration writes it
        (Role.DISABILITY_OFFICER, Civility.MADAME, "Référente handicap"),
        (Role.HR_ADMIN, Civility.MADAME, "Administratrice RH"),
        (Role.HR_ADMIN, "", "Administrateur RH"),
        (Role.MANAGER, Civility.MADAME, "Manager"),
        (Role.HR, Civility.MADAME, "Service RH"),
    ],
)
def test_a_role_title_agrees_with_the_person_s_civility(role, civility, title):
    assert UserFactory(civility=civility).role_title(role) == title


def test_a_woman_leads_as_animatrice():
    assert UserFactory(civility=Civility.MADAME).leader_title == "animatrice"
    assert UserFactory(civility=Civility.MONSIEUR).leader_title == "animateur"
    assert UserFactory(civility="").leader_title == "animateur"


def test_a_role_assignment_titles_its_holder():
    assignment = RoleFactory(
        role=Role.DISABILITY_OFFICER,
        user__civility=Civility.MADAME,
        organisation__name="Ministère de l’Exemple",
    )

    assert assignment.title == "Référente handicap — Ministère de l’Exemple"
