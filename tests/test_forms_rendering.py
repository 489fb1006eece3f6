"""The crispy_dsfr pack: error summary, fieldsets with legends, hints tied to their fields."""

import re

import pytest
from django.template import Context, Template
from django.urls import reverse

from bpp.requests.forms import RequestForm
from synthesis.forms import ActionFormSet
from tests.people.factories import AgentFactory, UserFactory

pytestmark = pytest.mark.django_db


def render(template: str, **context) -> str:
    return Template("{% load crispy_forms_tags %}" + template).render(Context(context))


def request_form(data=None) -> RequestForm:
    return RequestForm(data, agent=AgentFactory.build(covered_by_l5212_13=True))


def test_it_sums_up_the_errors_with_links_to_the_fields():
    html = render("{% crispy form %}", form=request_form({"preferred_mode": "distance"}))

    assert 'class="fr-alert fr-alert--error' in html
    assert "Le formulaire contient 2 erreurs" in html
    assert '<a href="#id_needs">' in html
    assert '<a href="#id_has_defined_project">' in html
    assert html.index("fr-alert--error") < html.index('id="id_needs"')


def test_it_uses_the_singular_for_one_error():
    form = request_form({"has_defined_project": "non", "preferred_mode": "distance"})

    html = render("{% crispy form %}", form=form)

    assert "Le formulaire contient 1 erreur<" in html


def test_an_unbound_form_has_no_summary():
    assert "fr-alert" not in render("{% crispy form %}", form=request_form())


def test_the_filter_renders_the_summary_too():
    assert '<a href="#id_needs">' in render("{{ form|crispy }}", form=request_form({}))


def test_it_marks_the_field_in_error():
    html = render("{% crispy form %}", form=request_form({}))

    assert "fr-input-group--error" in html
    assert re.search(r'<textarea [^>]*aria-invalid="true"', html)
    assert '<div class="fr-messages-group" id="id_needs_error"><p class="fr-error-text">' in html


def test_it_groups_the_request_in_fieldsets_with_legends():
    html = render("{% crispy form %}", form=request_form())

    for legend in ("Vos besoins", "Modalités", "Accessibilité"):
        assert f'<legend class="fr-fieldset__legend">{legend}</legend>' in html


def test_it_puts_a_radio_group_in_a_fieldset_with_its_legend():
    html = render("{% crispy form %}", form=request_form())

    group = re.search(r'<fieldset [^>]*id="id_preferred_mode".*?</fieldset>', html, re.S)
    assert group
    assert "<legend " in group[0] and "Modalité souhaitée" in group[0]
    assert group[0].count('class="fr-radio-group"') == 3


def test_it_ties_the_hint_to_its_field():
    html = render("{% crispy form %}", form=request_form())

    assert '<span class="fr-hint-text" id="id_needs_helptext">' in html
    assert re.search(r'<textarea [^>]*aria-describedby="id_needs_helptext"', html)


def test_it_ties_the_hint_and_the_error_to_a_field_in_error():
    html = render("{% crispy form %}", form=request_form({}))

    assert re.search(r'<textarea [^>]*aria-describedby="id_needs_helptext id_needs_error"', html)


def test_it_renders_a_formset():
    formset = ActionFormSet(
        {"actions-TOTAL_FORMS": "1", "actions-INITIAL_FORMS": "0", "actions-0-duration": "3 mois"},
        prefix="actions",
    )

    html = render("{% crispy formset %}", formset=formset)

    assert 'name="actions-TOTAL_FORMS"' in html
    assert '<a href="#id_actions-0-title">' in html


def test_the_agent_sees_the_summary_when_sending_an_empty_request(client):
    agent = AgentFactory(manager=UserFactory())
    client.force_login(agent.user)

    response = client.post(reverse("requests:new"), {})

    assert response.status_code == 200
    assert "Le formulaire contient 3 erreurs" in response.text
    assert '<a href="#id_needs">' in response.text
