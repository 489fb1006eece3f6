import re

import pytest
from django.urls import reverse

from bpp.people.models import Role
from tests.people.factories import AgentFactory, RoleFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Un nouveau mot de passe solide 2026"


def path_in_the_mail(django_tasks) -> str:
    [queued] = django_tasks.emails()
    return re.search(r"https?://[^/\s]+(/mot-de-passe/\S+/\S+/)", queued["text"]).group(1)


def test_it_sends_a_link_that_sets_a_new_password(client, django_tasks):
    user = AgentFactory(user__email="lea.martin@exemple.gouv.fr").user

    response = client.post(reverse("password_reset"), {"email": "Lea.Martin@exemple.gouv.fr"})

    assert response.url == reverse("login")
    form = client.get(path_in_the_mail(django_tasks), follow=True)
    assert "Choisir un mot de passe" in form.text
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert done.status_code == 200
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get(form.redirect_chain[-1][0]).context["validlink"] is False  # used once


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, django_tasks):
    response = client.post(reverse("password_reset"), {"email": "inconnu@exemple.gouv.fr"})

    assert response.url == reverse("login")
    assert django_tasks.emails() == []


def test_a_cmc_who_reset_their_password_still_gives_a_second_factor(client):
    user = RoleFactory(role=Role.CMC).user
    user.set_password(NEW_PASSWORD)
    user.save()

    client.post(reverse("login"), {"username": user.email, "password": NEW_PASSWORD})

    assert client.get(reverse("home")).url.startswith(reverse("second_factor_enrol"))
