"""French typography: élision, plurals and dates in words (bpp/templatetags/french.py)."""

import datetime

import pytest
from django.template import Context, Template, engines
from django.utils.safestring import mark_safe

from bpp.templatetags.french import day, elide, jour, plural


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Paul Durand", "de Paul Durand"),
        ("Antoine Roux", "d’Antoine Roux"),
        ("Émilie Martin", "d’Émilie Martin"),  # an accented capital
        ("émilie", "d’émilie"),
        ("Inès Benali", "d’Inès Benali"),
        ("Œdipe", "d’Œdipe"),
        ("Hélène Vasseur", "d’Hélène Vasseur"),  # a mute h
        ("Hugo Bernard", "d’Hugo Bernard"),
        ("Hollande", "de Hollande"),  # an aspirated h
        ("Yves Colin", "d’Yves Colin"),  # y before a consonant: a vowel
        ("Yannick Roussel", "de Yannick Roussel"),  # y before a vowel: a consonant
        ("Y", "de Y"),
        ("", "de "),
    ],
)
def test_de_elides_before_a_vowel_or_a_mute_h(name, expected):
    assert elide("de", name) == expected


@pytest.mark.parametrize(
    ("short", "word", "expected"),
    [
        ("que", "Antoine", "qu’Antoine"),
        ("que", "Paul", "que Paul"),
        ("le", "hôpital", "l’hôpital"),
        ("le", "handicap", "le handicap"),
        ("la", "hiérarchie", "la hiérarchie"),
        ("je", "y vais", "j’y vais"),
    ],
)
def test_other_short_words_elide_too(short, word, expected):
    assert elide(short, word) == expected


def test_the_de_filter_escapes_the_name_and_elides():
    assert render("{{ name|de }}", name="Émilie <b>") == "d’Émilie &lt;b&gt;"
    assert render("{{ name|de }}", name=mark_safe("<b>Paul</b>")) == "de <b>Paul</b>"
    assert render('{{ name|elide:"que" }}', name="Antoine") == "qu’Antoine"


def test_the_de_filter_takes_any_object_that_prints_as_a_name(user_factory):
    user = user_factory.build(first_name="Agnès", last_name="Colin")

    assert render("propriété {{ user|de }}", user=user) == "propriété d’Agnès Colin"


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, "0 agent"), (1, "1 agent"), (1.5, "1,5 agent"), (2, "2 agents"), (-2, "-2 agents")],
)
def test_zero_and_one_are_singular_in_french(count, expected):
    assert render("{{ n }} agent{{ n|pluriel }}", n=count) == expected


def test_pluriel_takes_a_suffix_or_both_endings_and_counts_collections():
    assert render('{{ n }} attend{{ n|pluriel:"ent" }}', n=0) == "0 attend"
    assert render('{{ n }} attend{{ n|pluriel:"ent" }}', n=3) == "3 attendent"
    assert render('n’{{ n|pluriel:"a,ont" }}', n=1) == "n’a"
    assert render('n’{{ n|pluriel:"a,ont" }}', n=2) == "n’ont"
    assert render("agent{{ agents|pluriel }}", agents=["a", "b"]) == "agents"
    assert render("agent{{ agents|pluriel }}", agents=[]) == "agent"
    assert render("agent{{ x|pluriel }}", x="beaucoup") == "agent"
    assert plural(2, "al,aux") == "aux" and plural(1, "al,aux") == "al"


def test_the_first_day_of_a_month_is_an_ordinal():
    assert jour(datetime.date(2026, 3, 1)) == "1er mars 2026"
    assert jour(datetime.date(2026, 3, 2)) == "2 mars 2026"
    assert jour(datetime.date(2026, 3, 1), "l j F") == "dimanche 1er mars"
    assert day(datetime.date(2026, 3, 1)) == "1er mars 2026"


def test_a_datetime_is_read_in_paris():
    # 23:30 UTC on 31 March is 1 April in Paris (summer time).
    instant = datetime.datetime(2026, 3, 31, 23, 30, tzinfo=datetime.UTC)

    assert day(instant) == "1er avril 2026"


def test_the_filters_are_built_in_for_pages_and_plain_text_e_mails():
    for engine in engines.all():
        template = engine.from_string("{{ name|de }}, {{ n }} agent{{ n|pluriel }}")
        assert template.render({"name": "Émilie", "n": 0}) == "d’Émilie, 0 agent"
