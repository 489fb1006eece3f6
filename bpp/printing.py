"""
PDF documents rendered by WeasyPrint from autoescaped templates, safely and fast.

Safely: the URL fetcher serves `data:` URLs and the files of two directories only,
the project's print assets (`static/print/`) and the Marianne fonts shipped with
django-dsfr. No network, no other file (paths are resolved, so `..` and symlinks
cannot escape), no redirects: for the HTML and for every stylesheet.

Fast: one FontConfiguration and the parsed stylesheets are kept for the life of
the process, so a render neither reloads the fonts nor parses the CSS again.
"""

import mimetypes
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dsfr
from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML, URLFetcher
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcherResponse

PRINT_ASSETS = Path(settings.BASE_DIR) / "static" / "print"
FONTS = Path(dsfr.__file__).resolve().parent / "static" / "dsfr" / "dist" / "fonts"
MARIANNE = {
    ("normal", 400): "Marianne-Regular.woff2",
    ("italic", 400): "Marianne-Regular_Italic.woff2",
    ("normal", 700): "Marianne-Bold.woff2",
    ("italic", 700): "Marianne-Bold_Italic.woff2",
}


class PrintAssetsFetcher(URLFetcher):
    """Fetch `data:` URLs and files under `roots`; refuse everything else."""

    def __init__(self, roots: list[Path]):
        super().__init__(allowed_protocols={"data"}, allow_redirects=False)
        self.roots = [root.resolve() for root in roots]

    def fetch(self, url: str, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            parts = urlsplit(url)
            path = Path(unquote(parts.path)).resolve()
            if (
                not parts.netloc
                and path.is_file()
                and any(path.is_relative_to(root) for root in self.roots)
            ):
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})
        raise ValueError(f"Ressource refusée pendant le rendu PDF : {url[:200]}")


FETCHER = PrintAssetsFetcher([PRINT_ASSETS, FONTS])


@cache
def font_config() -> FontConfiguration:
    return FontConfiguration()


@cache
def stylesheets(name: str | None) -> list[CSS]:
    """The Marianne faces, then `static/print/<name>.css` if given: parsed once."""
    faces = "\n".join(
        f'@font-face {{ font-family: "Marianne"; font-style: {style}; font-weight: {weight};'
        f' src: url("{(FONTS / file).as_uri()}") format("woff2"); }}'
        for (style, weight), file in MARIANNE.items()
    )
    sheets = [CSS(string=faces, font_config=font_config(), url_fetcher=FETCHER)]
    if name is not None:
        path = PRINT_ASSETS / f"{name}.css"
        sheets.append(CSS(filename=str(path), font_config=font_config(), url_fetcher=FETCHER))
    return sheets


def render_pdf(template_name: str, context: dict, *, stylesheet: str | None = None) -> bytes:
    """Render `template_name` (autoescaped) to PDF with the shared fonts and stylesheet."""
    html = render_to_string(template_name, context)
    document = HTML(string=html, base_url=PRINT_ASSETS.as_uri() + "/", url_fetcher=FETCHER)
    return document.write_pdf(stylesheets=stylesheets(stylesheet), font_config=font_config())
