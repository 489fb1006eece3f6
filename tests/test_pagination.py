"""The pagination of every list (django-dsfr's, with the DSFR's markup for dead links)."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory


def render(number: int) -> str:
    page = Paginator(range(50), 10).page(number)
    request = RequestFactory().get("/liste/", {"q": "Martin", "page": number})
    return render_to_string("dsfr/pagination.html", {"page_obj": page, "request": request})


def test_on_the_first_page_first_and_previous_lead_nowhere_and_say_so():
    html = render(1)

    assert html.count('aria-disabled="true" role="link"') == 2
    assert 'href="?q=Martin&amp;page=2"' in html  # the search is kept


def test_on_a_middle_page_every_link_leads_somewhere():
    assert "aria-disabled" not in render(3)


def test_on_the_last_page_next_and_last_lead_nowhere():
    html = render(5)

    assert html.count('aria-disabled="true"') == 2
    assert 'href="?q=Martin&amp;page=4"' in html
