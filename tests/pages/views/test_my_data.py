"""« Télécharger mes données »: the agent gets, in one ZIP, everything the product holds
about them (JSON) and the PDF of each of their syntheses; nobody else gets it."""

import io
import json
import zipfile

import pytest
from django.test import Client

from bpp.people.models import AccountEvent, Role
from bpp.requests.models import RequestTransition
from cohorts.models import Attendance, Evaluation, ExerciseAnswer, ProgrammeItem
from synthesis.models import AccessRecord, Basis
from tests.people.factories import AgentFactory, RoleFactory

pytestmark = pytest.mark.django_db

URL = "/agent/mes-donnees.zip"


def archive(response) -> tuple[dict, zipfile.ZipFile]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="mes-donnees-bilan-')
    zipped = zipfile.ZipFile(io.BytesIO(response.content))
    return json.loads(zipped.read("mes-donnees.json")), zipped


def test_the_agent_gets_everything_about_them(world, django_assert_max_num_queries):
    enrolment = world.enrolment
    agent = enrolment.agent.user
    RequestTransition.objects.create(
        request=enrolment.request,
        to_status="acceptee",
        at=enrolment.placed_at,
        by=world.users["manager"],
    )
    Attendance.objects.create(session=world.session, enrolment=enrolment, status="present")
    Evaluation.objects.filter(pk=world.evaluation.pk).update(
        answered_at=enrolment.placed_at, overall_score=9, adapted=4, comment="Très utile."
    )
    AccessRecord.objects.create(
        synthesis=world.synthesis, reader=world.users["hr"], basis=Basis.HR, format="page"
    )
    AccountEvent.objects.create(user=agent, kind="manager_change", detail="Nouveau manager")
    exercise = ProgrammeItem.objects.national().get(title="Mes compétences")
    ExerciseAnswer.write(
        enrolment=enrolment, item=exercise, text="Écouter.", now=enrolment.placed_at
    )

    client = world.client("enrolled_agent")
    with django_assert_max_num_queries(30):
        response = client.get(URL)
    data, zipped = archive(response)

    assert data["compte"]["adresse_electronique"] == agent.email
    assert data["profil_agent"]["employeur"] == "Ministère de l’Exemple"
    assert "beneficiaire_L5212_13" in data["profil_agent"]
    assert data["evenements_du_compte"][0]["detail"] == "Nouveau manager"
    [request] = data["demandes"]
    assert request["historique"][0]["par"] == world.users["manager"].get_full_name()
    [inscription] = data["inscriptions"]
    assert inscription["seances"][0]["presence"] == "Présent"
    [questionnaire] = inscription["questionnaires"]
    assert questionnaire["note_globale"] == 9
    assert questionnaire["remarques"] == "Très utile."
    [answer] = inscription["reponses_aux_exercices"]
    assert (answer["exercice"], answer["reponse"]) == ("Mes compétences", "Écouter.")
    [synthesis] = data["syntheses"]
    assert synthesis["lectures"][0]["lecteur"] == world.users["hr"].get_full_name()
    assert synthesis["versions"][0]["version"] == 1
    [follow_up] = synthesis["suivis_du_plan_d_action"]
    assert follow_up["actions"][0]["action"] == "Se former à la conduite de projet"
    assert synthesis["demandes_d_entretien_d_appui"][0]["etat"] == "En attente de réponse"
    # The content is in the PDF, not in the JSON; the PDF is the agent's own copy.
    assert "Situation familiale" not in json.dumps(data, ensure_ascii=False)
    [pdf] = [name for name in zipped.namelist() if name.startswith("syntheses/")]
    assert pdf == f"syntheses/{synthesis['fichier_pdf']}"
    assert zipped.read(pdf).startswith(b"%PDF")
    assert "LISEZ-MOI.txt" in zipped.namelist()


def test_an_agent_without_anything_yet_gets_their_account(world):
    data, zipped = archive(world.client("agent").get(URL))

    assert data["compte"]["adresse_electronique"] == world.users["agent"].email
    assert len(data["demandes"]) == 1  # the one awaiting their manager
    assert data["inscriptions"] == [] and data["syntheses"] == []
    [message] = data["messages"]  # « Mes notifications »
    assert message["objet"] == world.notification.subject
    assert message["texte"] == world.notification.text and message["lu_le"] is None
    assert not [name for name in zipped.namelist() if name.startswith("syntheses/")]


@pytest.mark.parametrize("persona", ["hr", "hr_admin", "cmc", "manager", "provider"])
def test_nobody_but_an_agent_gets_an_archive(world, persona):
    assert world.client(persona).get(URL).status_code == 403


def test_a_cmc_who_is_also_an_agent_gets_only_their_own(world):
    cmc_agent = AgentFactory(organisation=world.organisation, service=world.service).user
    RoleFactory(user=cmc_agent, role=Role.CMC, organisation=world.organisation)
    world.cohort.leaders.add(cmc_agent)

    client = Client()
    client.force_login(cmc_agent)
    data, zipped = archive(client.get(URL))

    assert data["compte"]["adresse_electronique"] == cmc_agent.email
    assert data["syntheses"] == [] and data["demandes"] == []
    assert world.users["enrolled_agent"].email not in zipped.read("mes-donnees.json").decode()
