"""The PDF renderer fetches nothing but `data:` URLs and the project's print assets."""

import pytest

from bpp.printing import FETCHER, FONTS, PRINT_ASSETS


def test_it_serves_the_print_assets_and_the_marianne_fonts():
    css = FETCHER.fetch((PRINT_ASSETS / "synthesis.css").as_uri())
    font = FETCHER.fetch((FONTS / "Marianne-Regular.woff2").as_uri())

    assert b"@page" in css.read()
    assert font.read()[:4] == b"wOF2"


def test_it_serves_data_urls():
    assert FETCHER.fetch("data:text/plain;base64,Ym9uam91cg==").read() == b"bonjour"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:1/x.css",
        "https://exemple.gouv.fr/x.css",
        "ftp://exemple.gouv.fr/x",
        "file:///etc/passwd",
        (PRINT_ASSETS / ".." / ".." / "manage.py").as_uri(),
        PRINT_ASSETS.as_uri() + "/../../manage.py",
        "file://autre-hote/etc/passwd",
        (PRINT_ASSETS / "absent.css").as_uri(),
    ],
)
def test_it_refuses_everything_else(url):
    with pytest.raises(ValueError, match="refusée"):
        FETCHER.fetch(url)


def test_a_symlink_out_of_the_assets_is_refused(tmp_path, monkeypatch):
    link = PRINT_ASSETS / "lien-de-test.css"
    link.symlink_to("/etc/hostname")
    try:
        with pytest.raises(ValueError, match="refusée"):
            FETCHER.fetch(link.as_uri())
    finally:
        link.unlink()


def test_redirects_are_never_followed():
    assert not any(type(handler).__name__ == "HTTPRedirectHandler" for handler in FETCHER.handlers)
