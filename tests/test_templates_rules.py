"""
Templates ask the model, never compare raw stored values.

`{% if review_request.current_state == "proposee" %}` writes a rule a second time, with
a string the model may rename: the template asks `review_request.is_proposed` instead,
and roles are compared with `Role` members (`current_role == Role.AGENT`). This test
reads every file under `templates/` and fails on a comparison of a value with a quoted
lowercase identifier inside a template tag.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"

TAG = re.compile(r"{%.*?%}", re.DOTALL)
OPERAND = r"[\w.|:]+"  # a variable, maybe with filters: review_request.status, x|lower


def quoted(group: str, chars: str = "a-z0-9_") -> str:
    """A quoted lowercase identifier ("proposee", 'agent'), or words with `chars` = "a-z_ "."""
    return rf"""(?P<{group}>["'])[a-z][{chars}]*(?P={group})"""


RAW_COMPARISON = re.compile(
    rf"(?P<left>{OPERAND})\s*(?:==|!=)\s*{quoted('q1')}"
    rf"|{quoted('q2')}\s*(?:==|!=)\s*(?P<right>{OPERAND})"
    rf"|(?P<member>{OPERAND})\s+(?:not\s+)?in\s+{quoted('q3', 'a-z0-9_ ')}"
    rf"|{quoted('q4')}\s+(?:not\s+)?in\s+(?P<container>{OPERAND})"
)

# Values that are not ours to name, so there is no model to ask. Each entry says why.
ALLOWED = {
    # Django's own names of widget classes (BoundField.widget_type), read by the crispy
    # pack to pick the DSFR markup of a field; no model of ours stores them.
    "field.widget_type": "Django's widget type names",
    # The HTTP method crispy-forms passes to the form tag.
    "form_method|lower": "an HTTP method",
    "formset_method|lower": "an HTTP method",
}


def raw_comparisons(text: str) -> list[tuple[int, str, str]]:
    """(line, comparison, compared value) of each raw comparison in a template's tags."""
    found = []
    for tag in TAG.finditer(text):
        for match in RAW_COMPARISON.finditer(tag.group()):
            operand = next(
                match[name] for name in ("left", "right", "member", "container") if match[name]
            )
            line = text.count("\n", 0, tag.start() + match.start()) + 1
            found.append((line, match.group(), operand))
    return found


def template_files() -> list[Path]:
    return sorted(path for path in TEMPLATES.rglob("*") if path.is_file())


@pytest.mark.parametrize(
    "text",
    [
        '{% if review_request.current_state == "proposee" %}',
        "{% elif synthesis.status != 'signee' %}",
        '{% if x and "reportee" == review_request.status %}',
        '{% if current_role == "agent" or current_role == "hr" %}',
        '{% if review_request.status in "acceptee refusee" %}',
        '{% if "distance" in cohort.mode %}',
        '{% if evaluation.kind|lower == "chaud" %}',
        '{% if\n  cohort.mode == "distance" %}',
    ],
)
def test_a_raw_comparison_is_found(text):
    assert raw_comparisons(text)


@pytest.mark.parametrize(
    "text",
    [
        "{% if review_request.is_proposed %}",
        "{% if current_role == Role.AGENT %}",
        "{% if value == current_role %}",
        "{% if days == 0 %}",
        '{% include "components/_badge.html" with label="Mon espace" only %}',
        '{% url "requests:detail" review_request.pk %}',
        '<p>state == "proposee" written in the text of a page</p>',
    ],
)
def test_a_question_to_the_model_is_not_a_raw_comparison(text):
    assert not raw_comparisons(text)


def test_no_template_compares_a_value_with_a_raw_string():
    offences = [
        f"{path.relative_to(TEMPLATES)}:{line}: {comparison}"
        for path in template_files()
        for line, comparison, operand in raw_comparisons(path.read_text())
        if operand not in ALLOWED
    ]
    assert not offences, "Ask the model instead (see docs in this test):\n" + "\n".join(offences)


def test_every_allowed_value_is_still_compared_somewhere():
    compared = {
        operand for path in template_files() for *_, operand in raw_comparisons(path.read_text())
    }
    assert set(ALLOWED) <= compared, f"Remove from ALLOWED: {set(ALLOWED) - compared}"
