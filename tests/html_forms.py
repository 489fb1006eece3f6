"""Read a page's form as a browser would submit it, to post it back with a few changes."""

from html.parser import HTMLParser


class _FormsReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[dict[str, list[str]]] = []
        self.inside = False
        self._select: str | None = None
        self._textarea: str | None = None

    def _add(self, name: str, value: str) -> None:
        self.forms[-1].setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = True
            self.forms.append({})
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                self.forms[-1].setdefault(name, [])
                return
            self._add(name, attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select" and name:
            self._select = name
            self.forms[-1].setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self._add(name, "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self.inside = False

    def handle_data(self, data):
        if self._textarea:
            self.forms[-1][self._textarea][-1] += data


def form_data(html: str, *, containing: str) -> dict[str, list[str]]:
    """The fields of the page's form that has a field named `containing`, as submitted
    (unchecked boxes left out, like a browser does)."""
    reader = _FormsReader()
    reader.feed(html)
    for form in reader.forms:
        if containing in form:
            return {
                name: values
                for name, values in form.items()
                if name != "csrfmiddlewaretoken" and values
            }
    raise AssertionError(f"no form with a field named {containing!r}")
