"""
French typography in the templates.

Dates are written with `|jour` (bpp/templatetags/french.py), which gives « 1er mars » on
the first of a month where `|date:"j F"` gives « 1 mars »; a test reads every template.

Templates elide before a person's name: « d’Émilie », never « de Émilie ».

A name can start with a vowel or a mute h, so `de {{ agent }}` is wrong for some people:
templates write `{{ agent|de }}` (bpp/templatetags/french.py), which gives « de Paul » or
« d’Émilie ». This test reads every file under `templates/` and fails on « de », « que »
or « propriété de » written before a variable that holds a person, without the filter.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"

# A variable that holds a person (or their name): review_request.agent, signature.signer,
# user.get_full_name, review_request.proposed_by…
PERSON = r"[\w.]*\b(?:agent|user|get_full_name|first_name|last_name|author|signer|reader|leader|manager|counsellor|[a-z]+_by)"
UNELIDED = re.compile(
    rf"\b(?:de|que|De|Que)\s+{{{{\s*(?P<variable>{PERSON})\s*(?:\|(?!de\b|elide\b)[^}}]*)?}}}}"
)


def unelided(text: str) -> list[tuple[int, str]]:
    return [
        (text.count("\n", 0, match.start()) + 1, match.group()) for match in UNELIDED.finditer(text)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "La demande de {{ review_request.agent }}",
        "propriété de {{ h.agent }}",
        "Message de {{ review_request.proposed_by }}",
        "demande de {{ agent.user.get_full_name }}",
        "alors que {{ synthesis.author }} signe",
        "De {{ user.first_name }}",
        "de {{ agent|upper }}",
        "de\n{{ agent }}",
    ],
)
def test_an_unelided_name_is_found(text):
    assert unelided(text)


@pytest.mark.parametrize(
    "text",
    [
        "La demande {{ review_request.agent|de }}",
        "propriété {{ h.agent|de }}",
        '{{ synthesis.author|elide:"que" }}',
        "de {{ session.starts_at|time:'H:i' }} à {{ session.ends_at|time:'H:i' }}",
        "à partir de {{ min_answers }} réponses",
        "de {{ organisation.name }}",
        "le {{ agent }}",
    ],
)
def test_other_words_and_variables_are_left_alone(text):
    assert not unelided(text)


def test_no_template_writes_de_before_a_name_without_eliding():
    found = [
        f"{path.relative_to(TEMPLATES)}:{line}: {text!r}"
        for path in sorted(TEMPLATES.rglob("*"))
        if path.is_file()
        for line, text in unelided(path.read_text())
    ]
    assert not found, "write {{ name|de }} instead:\n" + "\n".join(found)


# `|date` with the day of the month (j) in its format: « 1 mars » on the first.
DAY_WITHOUT_ORDINAL = re.compile(r"\|date:\s*[\"'][^\"']*\bj\b")


def test_no_template_writes_a_day_of_the_month_without_its_ordinal():
    found = [
        f"{path.relative_to(TEMPLATES)}:{text.count(chr(10), 0, match.start()) + 1}"
        for path in sorted(TEMPLATES.rglob("*"))
        if path.is_file()
        for text in [path.read_text()]
        for match in DAY_WITHOUT_ORDINAL.finditer(text)
    ]
    assert not found, 'write |jour:"j F Y" instead of |date:"j F Y":\n' + "\n".join(found)
