import pytest


@pytest.mark.django_db
def test_an_unknown_page_answers_a_french_404(client, world):
    client.force_login(world.users["agent"])

    response = client.get("/nulle-part/")

    assert response.status_code == 404
    assert "Page non trouvée" in response.text
    assert 'lang="fr"' in response.text


@pytest.mark.django_db
def test_a_forbidden_page_answers_a_french_403(client, world):
    client.force_login(world.users["agent"])

    response = client.get("/rh/")

    assert response.status_code == 403
    assert "Accès refusé" in response.text
