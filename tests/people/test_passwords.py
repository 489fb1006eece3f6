"""Passwords follow the CNIL's recommendation for a password that alone protects access."""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.people.factories import AgentFactory

pytestmark = pytest.mark.django_db


def test_the_demo_password_is_accepted():
    user = AgentFactory(user__email="lea.martin@exemple.gouv.fr").user

    validate_password(settings.DEMO_PASSWORD, user)  # raises if refused
    assert user.check_password(settings.DEMO_PASSWORD)


@pytest.mark.parametrize(
    "password",
    [
        "court-2026",  # fewer than 12 characters
        "password1234",  # a common password
        "201920202021",  # digits only
        "lea.martin@exemple",  # too close to the e-mail address
    ],
)
def test_a_weak_password_is_refused(password):
    user = AgentFactory(user__email="lea.martin@exemple.gouv.fr").user

    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_twelve_characters_are_required():
    with pytest.raises(ValidationError, match="12"):
        validate_password("x7#kq-vb2!m")  # 11 characters
    validate_password("x7#kq-vb2!mz")
