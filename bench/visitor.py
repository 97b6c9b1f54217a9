"""A visitor over plain HTTP: cookies kept, forms read and sent back with their CSRF token.

The edge benchmark (bench/edge.py) and the edge cache's system test
(tests/ops/test_edge_cache_system.py) sign in and save a change in the admin through nginx with it,
as a person with a browser would.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.client import HTTPConnection
from urllib.parse import urlencode


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    text: str

    def header(self, name: str) -> str | None:
        lowered = {key.lower(): value for key, value in self.headers.items()}
        return lowered.get(name.lower())


class FormFields(HTMLParser):
    """The fields of the page's form whose id ends in `_form` (the admin's change form) or of the
    first form with a password field (a sign-in form), as the browser would send them."""

    def __init__(self):
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self._in_form = False
        self._select: str | None = None
        self._textarea: str | None = None
        self._text = ""
        self.chosen: int | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        name = attributes.get("name", "")
        if tag == "form":
            self._in_form = True
            self.forms.append([])
            if attributes.get("id", "").endswith("_form"):
                self.chosen = len(self.forms) - 1
        elif not self._in_form:
            return
        elif tag == "input" and name:
            kind = attributes.get("type", "text")
            if kind == "password" and self.chosen is None:
                self.chosen = len(self.forms) - 1
            ticked = kind in ("checkbox", "radio")
            if ticked and "checked" not in attributes:
                return
            if kind not in ("submit", "button", "file", "image"):
                self.forms[-1].append((name, attributes.get("value", "on" if ticked else "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attributes:
            self.forms[-1].append((self._select, attributes.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_data(self, data):
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.forms[-1].append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None

    def fields(self) -> list[tuple[str, str]]:
        if self.chosen is None:
            raise ValueError("the page has no change form and no sign-in form")
        return self.forms[self.chosen]


@dataclass
class Visitor:
    """One browser on one port of 127.0.0.1."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, fields: list | None = None) -> Answer:
        connection = HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = dict(self.headers)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return Answer(response.status, dict(response.getheaders()), text)

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def submit(self, path: str, changes: dict[str, str]) -> Answer:
        """Open the form at `path` and send it back with `changes`, as a person would."""
        page = self.get(path)
        reader = FormFields()
        reader.feed(page.text)
        fields = [(name, value) for name, value in reader.fields() if name not in changes]
        if path.startswith("/admin/"):
            fields.append(("_save", "Save"))
        return self.request("POST", path, [*fields, *changes.items()])

    def sign_in(self, username: str, password: str) -> Answer:
        answer = self.submit("/accounts/login/", {"username": username, "password": password})
        if answer.status != 302:
            raise RuntimeError(f"signing in as {username} answered {answer.status}")
        return answer
