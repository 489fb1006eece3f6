"""Every input is bounded: lengths, dates, and the NUL byte that PostgreSQL refuses."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bpp.validators import validate_plausible_date
from cohorts.models import STATEMENTS, Evaluation


def answer(world, comment: str):
    data = {"overall_score": "8", "comment": comment} | dict.fromkeys(STATEMENTS, "1")
    return world.client("enrolled_agent").post(
        reverse("cohorts:evaluation", args=[world.evaluation.pk]), data
    )


def test_a_questionnaire_comment_of_100_000_characters_is_refused(world):
    response = answer(world, "x" * 100_000)

    assert response.status_code == 200
    assert (
        response.context["form"]
        .errors["comment"][0]
        .startswith("Assurez-vous que cette valeur comporte au plus 5000 caractères")
    )
    assert Evaluation.objects.get(pk=world.evaluation.pk).answered_at is None


def test_a_nul_byte_is_a_form_error(world):
    response = answer(world, "bien\x00")

    assert response.status_code == 200
    assert response.context["form"].errors["comment"] == ["Le caractère nul n’est pas autorisé."]
    assert Evaluation.objects.get(pk=world.evaluation.pk).answered_at is None


@pytest.mark.parametrize(
    "day", [datetime.date(1, 1, 1), datetime.date(1999, 12, 31), datetime.date(9999, 12, 31)]
)
def test_an_implausible_date_is_refused(day):
    with pytest.raises(ValidationError, match="entre 2000 et 2099"):
        validate_plausible_date(day)


def test_a_plausible_date_and_time_is_accepted():
    validate_plausible_date(datetime.datetime(2026, 3, 2, 9, 30))
