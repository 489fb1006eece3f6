"""The HR admin's import of agents, through HTTP: upload, preview, confirm, progress."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bpp.people.imports import runs
from bpp.people.imports.mapping import RENOIRH
from bpp.people.models import AgentProfile, ImportMapping, ImportRun, User
from tests.people.factories import AgentFactory
from tests.people.imports.helpers import HEADERS, agent_row, csv_bytes

pytestmark = pytest.mark.django_db


def uploaded():
    """The imports the test made (the world has one of its own)."""
    return ImportRun.objects.exclude(filename="vide.csv")


def upload(client, organisation, content: bytes, name="extraction.csv", **data):
    return client.post(
        reverse("portals:imports", args=[organisation.pk]),
        {"file": SimpleUploadedFile(name, content), "mapping": "en-tetes", **data},
    )


def test_the_hr_admin_uploads_previews_and_confirms(world):
    client = world.client("hr_admin")
    content = csv_bytes([agent_row("a@x.fr"), agent_row("b@x.fr", category="Z")])

    response = upload(client, world.organisation, content)

    run = uploaded().get()
    assert response.url == reverse("portals:import_run", args=[run.pk])
    assert not User.objects.filter(email="a@x.fr").exists()
    page = client.get(response.url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "À créer : 1" in text
    assert "Rejeté : 1" in text
    assert "Catégorie : « Z » n’est pas une catégorie A, B ou C." in text
    assert "Confirmer l’import" in text

    response = client.post(reverse("portals:import_confirm", args=[run.pk]))

    assert response.url == reverse("portals:import_run", args=[run.pk])
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE
    assert run.content is None  # personal data: gone once applied
    assert AgentProfile.objects.get(user__email="a@x.fr").organisation == world.organisation
    assert "Import terminé" in client.get(response.url).content.decode()


def test_a_large_import_runs_in_the_background_with_its_progress(world, django_tasks, monkeypatch):
    monkeypatch.setattr(runs, "INLINE_ROWS", 1)
    client = world.client("hr_admin")
    upload(client, world.organisation, csv_bytes([agent_row("a@x.fr"), agent_row("b@x.fr")]))
    run = uploaded().get()

    client.post(reverse("portals:import_confirm", args=[run.pk]))

    run.refresh_from_db()
    assert run.status == ImportRun.Status.QUEUED
    page = client.get(reverse("portals:import_run", args=[run.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "Import en cours : 0 %" in page
    django_tasks.run()
    run.refresh_from_db()
    assert (run.status, run.progress_done, run.progress_total) == (ImportRun.Status.DONE, 4, 4)
    assert run.percent == 100
    assert User.objects.filter(email__in=["a@x.fr", "b@x.fr"]).count() == 2


def test_a_confirmation_twice_applies_once(world):
    client = world.client("hr_admin")
    upload(client, world.organisation, csv_bytes([agent_row("a@x.fr")]))
    run = uploaded().get()
    client.post(reverse("portals:import_confirm", args=[run.pk]))
    response = client.post(reverse("portals:import_confirm", args=[run.pk]), follow=True)
    assert "Cet import est déjà confirmé." in response.content.decode()


def test_an_unreadable_file_is_a_french_error_and_nothing_is_kept(world):
    response = upload(world.client("hr_admin"), world.organisation, b"PK\x03\x04", "rh.xlsx")
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "Ce fichier n’est pas un classeur XLSX lisible."
    ]
    assert not uploaded().exists()


def test_a_file_without_the_required_columns_says_which(world):
    content = csv_bytes([["a@x.fr"]], headers=["Courriel professionnel"])
    response = upload(world.client("hr_admin"), world.organisation, content, mapping="renoirh")
    assert (
        "Colonnes introuvables dans le fichier : « Nom d'usage » (nom)"
        in (response.context["form"].errors["file"][0])
    )


def test_abandoning_a_preview_deletes_the_file(world):
    client = world.client("hr_admin")
    upload(client, world.organisation, csv_bytes([agent_row("a@x.fr")]))
    run = uploaded().get()
    response = client.post(reverse("portals:import_abandon", args=[run.pk]))
    assert response.url == reverse("portals:imports", args=[world.organisation.pk])
    assert not uploaded().exists()


def test_a_full_extract_through_the_page_deactivates_the_absent(world):
    client = world.client("hr_admin")
    absent = AgentFactory(organisation=world.organisation, service=world.service)
    upload(client, world.organisation, csv_bytes([agent_row("a@x.fr")]), full_extract="on")
    run = uploaded().get()
    assert run.counts["desactivation"] >= 1
    client.post(reverse("portals:import_confirm", args=[run.pk]))
    absent.user.refresh_from_db()
    assert not absent.user.is_active
    assert world.users["hr_admin"].is_active


def test_a_saved_mapping_reads_the_next_extracts(world):
    client = world.client("hr_admin")
    data = {"name": "Maison", **{f: h.upper() for f, h in RENOIRH.items() if h in HEADERS}}
    response = client.post(reverse("portals:import_mapping", args=[world.organisation.pk]), data)
    assert response.url == reverse("portals:imports", args=[world.organisation.pk])
    mapping = ImportMapping.objects.get(organisation=world.organisation, name="Maison")
    assert mapping.columns["email"] == "COURRIEL PROFESSIONNEL"
    upload(
        client,
        world.organisation,
        csv_bytes([agent_row("a@x.fr")]),
        mapping=f"enregistree-{mapping.pk}",
    )
    assert uploaded().get().counts["creation"] == 1


@pytest.mark.parametrize("persona", ["hr", "cmc", "agent", "manager"])
def test_only_hr_admins_import(world, persona):
    response = upload(world.client(persona), world.organisation, csv_bytes([agent_row("a@x.fr")]))
    assert response.status_code == 403
    assert not uploaded().exists()


def test_the_hr_admin_of_another_employer_gets_404(world):
    client = world.client("hr_admin")
    response = upload(client, world.other_organisation, csv_bytes([agent_row("a@x.fr")]))
    assert response.status_code == 404
    run = ImportRun.objects.create(organisation=world.other_organisation, filename="x.csv")
    for name in ("portals:import_run", "portals:import_confirm", "portals:import_abandon"):
        method = client.get if name == "portals:import_run" else client.post
        assert method(reverse(name, args=[run.pk])).status_code == 404


def test_an_abandoned_preview_goes_after_a_day_a_finished_import_after_a_month(world):
    from bpp.pages.retention import purge_expired_data

    now = timezone.now()
    fresh = ImportRun.objects.create(organisation=world.organisation, filename="frais.csv")
    ImportRun.objects.filter(pk=world.import_run.pk).update(
        created_at=now - datetime.timedelta(days=2)
    )
    finished = ImportRun.objects.create(
        organisation=world.organisation,
        filename="fini.csv",
        status=ImportRun.Status.DONE,
        finished_at=now - datetime.timedelta(days=40),
    )

    counts = purge_expired_data(now=now)

    assert counts["imports d’agents"] == 2
    assert list(ImportRun.objects.all()) == [fresh]
    assert not ImportRun.objects.filter(pk=finished.pk).exists()


def test_a_file_that_fails_when_applied_says_why_and_is_deleted(world):
    client = world.client("hr_admin")
    run = world.import_run  # an empty file: it no longer plans

    client.post(reverse("portals:import_confirm", args=[run.pk]))

    run.refresh_from_db()
    assert run.has_failed
    assert run.content is None
    page = client.get(reverse("portals:import_run", args=[run.pk])).content.decode()
    assert "L’import a échoué" in page
    assert "Le fichier est vide : la première ligne doit nommer les colonnes." in page


def test_a_large_file_is_previewed_in_the_background(world, django_tasks, monkeypatch):
    monkeypatch.setattr(runs, "INLINE_BYTES", 10)
    client = world.client("hr_admin")
    content = csv_bytes([agent_row("a@x.fr"), agent_row("b@x.fr", category="Z")])

    response = upload(client, world.organisation, content)

    run = uploaded().get()
    assert response.url == reverse("portals:import_run", args=[run.pk])
    assert run.is_planning
    page = client.get(response.url).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "Lecture du fichier…" in page
    assert "Confirmer l’import" not in page
    ImportRun.objects.filter(pk=run.pk).update(progress_done=1, progress_total=2)
    assert "Lignes lues : 1 sur 2." in client.get(response.url).content.decode()

    django_tasks.run()

    run.refresh_from_db()
    assert run.is_previewed
    assert (run.progress_done, run.progress_total) == (0, 2)
    assert run.columns["email"] == "Courriel professionnel"  # from the headers
    page = client.get(response.url).content.decode()
    assert "refresh" not in page
    assert "À créer : 1" in page
    assert "Catégorie : « Z » n’est pas une catégorie A, B ou C." in page
    client.post(reverse("portals:import_confirm", args=[run.pk]))
    assert User.objects.filter(email="a@x.fr").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("rh.xlsx", b"PK\x03\x04" + b"\x00" * 20, "Ce fichier n’est pas un classeur XLSX lisible."),
        ("rh.csv", b"\x81\x8d" * 20, "Le fichier n’est ni en UTF-8 ni en Windows-1252"),
    ],
)
def test_a_large_unreadable_file_says_why_on_its_page(
    world, django_tasks, monkeypatch, name, content, message
):
    monkeypatch.setattr(runs, "INLINE_BYTES", 10)
    client = world.client("hr_admin")
    response = upload(client, world.organisation, content, name)
    assert response.status_code == 302

    django_tasks.run()

    run = uploaded().get()
    assert run.has_failed
    assert run.content is None
    page = client.get(response.url).content.decode()
    assert "refresh" not in page
    assert message in page
    assert "À créer" not in page


def test_a_preview_that_never_came_goes_after_a_day(world):
    now = timezone.now()
    stuck = ImportRun.objects.create(
        organisation=world.organisation,
        filename="lourd.csv",
        status=ImportRun.Status.PLANNING,
        created_at=now - datetime.timedelta(days=2),
    )
    runs.purge_imports(now=now, finished_before=now - datetime.timedelta(days=30))
    assert not ImportRun.objects.filter(pk=stuck.pk).exists()
