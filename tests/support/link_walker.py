"""Walk the site as one role: follow every same-site link and GET form, check every answer.

Used by `test_link_walker.py` (access and downloads) and `test_html_valid.py` (the pages it
reaches go to the Nu Html Checker). A page added later is walked as soon as some page links to
it; what each role may open is `expected_access` below, the one place to change when the URL
contract changes.
"""

import re
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from django.urls import Resolver404, resolve
from django.utils import translation

from funding.language_addresses import language_of, without_prefix

ANONYMOUS, OUTSIDER, POLICY_STAFF, FUNDING_ADMIN = "anonymous", "outsider", "staff", "admin"
ROLES = (ANONYMOUS, OUTSIDER, POLICY_STAFF, FUNDING_ADMIN)
START_URLS = ("/", "/dashboard/", "/admin/")
SIGN_IN_PATHS = ("/accounts/login/", "/admin/login/")
# Signing out would end the walk's session; static files are not pages of ours. The language
# links and hreflang alternates are walked: each page's other language is a page at its own
# address (/en/…), so a walk from the Dutch start pages reaches the English ones too.
NOT_WALKED_PATHS = ("/accounts/logout/", "/en/accounts/logout/", "/admin/logout/", "/static/")

# Addresses opened per group of query-string variants of one page (see `_variant_group`):
# enough for page 1 and 2 of a list, or three sort orders.
VARIANTS_PER_GROUP = 3
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HTML = "text/html"
# A multi-line {# … #} comment or a broken tag is shown to the reader as text.
# (Openers only: JSON embedded for the charts may end in "}}".)
TEMPLATE_SYNTAX = re.compile(r"\{[#%{]")
PAGE, SIGN_IN, FORBIDDEN = "a page", "a redirect to sign in", "403"


def expected_access(role: str, path: str) -> str:
    """What the role should get at this path: PAGE, SIGN_IN or FORBIDDEN (DESIGN.md's table),
    the same in every language."""
    path = without_prefix(path)
    if path.startswith("/admin/") and not path.startswith(SIGN_IN_PATHS):
        # The admin sends everyone who is not a funding admin to its own sign-in page.
        return PAGE if role == FUNDING_ADMIN else SIGN_IN
    if path.startswith("/dashboard/"):
        return {ANONYMOUS: SIGN_IN, OUTSIDER: FORBIDDEN}.get(role, PAGE)
    return PAGE


def promised_type(url: str, type_attribute: str = "") -> str | None:
    """The content type a link promises, by its `type` attribute or by the kind of address."""
    if type_attribute:
        return type_attribute
    parts = urlsplit(url)
    export = dict(parse_qsl(parts.query)).get("export")
    if export == "csv" or parts.path.endswith(".csv"):
        return "text/csv"
    if export == "xlsx" or parts.path.endswith(".xlsx"):
        return XLSX
    if parts.path.endswith("/feed/"):
        return "application/atom+xml"
    if parts.path.startswith("/api/"):
        return "application/json"
    return None


@dataclass
class Link:
    url: str
    download: bool = False
    type: str = ""


class _PageParser(HTMLParser):
    """Links (`a`, `link rel=alternate`) and GET forms with the values they would submit."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[Link] = []
        self.forms: list[tuple[str, list[tuple[str, str]]]] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href") is not None:
            self.links.append(
                Link(attributes["href"], "download" in attributes, attributes.get("type") or "")
            )
        elif tag == "link" and "alternate" in (attributes.get("rel") or "").split():
            self.links.append(Link(attributes.get("href") or "", type=attributes.get("type") or ""))
        elif tag == "form":
            method = (attributes.get("method") or "get").lower()
            self._form = (attributes.get("action") or "", []) if method == "get" else None
        elif self._form is not None:
            self._form_field(tag, attributes)

    def _form_field(self, tag, attributes):
        name = attributes.get("name")
        values = self._form[1]
        if tag == "input" and name and "disabled" not in attributes:
            kind = (attributes.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in attributes:
                return
            if kind not in ("submit", "button", "image", "reset", "file"):
                values.append((name, attributes.get("value") or ""))
        elif tag == "select" and name:
            self._select = [name, None, None]  # name, first option, selected option
        elif tag == "option" and self._select is not None:
            value = attributes.get("value") or ""
            if self._select[1] is None:
                self._select[1] = value
            if "selected" in attributes:
                self._select[2] = value
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select" and self._select is not None:
            name, first, selected = self._select
            self._form[1].append((name, selected if selected is not None else first or ""))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._form[1].append(tuple(self._textarea))
            self._textarea = None


def links_and_forms(html: str, base_url: str) -> list[Link]:
    """Every link and GET form submission on the page, as absolute same-site addresses."""
    parser = _PageParser()
    parser.feed(html)
    found = []
    for link in parser.links:
        found.append(Link(urljoin(base_url, link.url), link.download, link.type))
    for action, values in parser.forms:
        target = urlsplit(urljoin(base_url, action))
        found.append(Link(urlunsplit(target._replace(query=urlencode(values), fragment=""))))
    return found


@dataclass
class Finding:
    role: str
    url: str
    linked_from: str | None
    problem: str

    def __str__(self):
        where = f" (linked from {self.linked_from})" if self.linked_from else " (start page)"
        return f"[{self.role}] {self.url}{where}: {self.problem}"


@dataclass
class Walk:
    role: str
    pages: int = 0
    links: int = 0
    findings: list[Finding] = field(default_factory=list)
    # Every HTML page answered 200, by address (after redirects): what the HTML checker reads.
    html: dict[str, str] = field(default_factory=dict)
    # The 403 pages the role got where it should, by address.
    refused: dict[str, str] = field(default_factory=dict)

    def summary(self) -> str:
        return f"{self.role}: {self.pages} pages, {self.links} links and forms followed"


def signed_in_client(client, role):
    """The test client as the role: anonymous, or signed in as a new user with the role's group."""
    from funding.permissions import FUNDING_ADMINS
    from funding.permissions import POLICY_STAFF as STAFF_GROUP
    from tests.support.users import make_user

    if role == OUTSIDER:
        client.force_login(make_user(f"walker-{role}"))
    elif role == POLICY_STAFF:
        client.force_login(make_user(f"walker-{role}", STAFF_GROUP))
    elif role == FUNDING_ADMIN:
        client.force_login(make_user(f"walker-{role}", FUNDING_ADMINS, is_staff=True))
    return client


def walk(
    client, role, *, start_urls=START_URLS, max_depth=3, max_pages=400, pages_per_route=None
) -> Walk:
    """Walk breadth-first from the start addresses with the client (signed in as the role).

    `pages_per_route` opens at most that many addresses of each URL route and set of query
    parameter names (one programme's page stands for the others', page 2 for page 3): for
    checks of the HTML, where a few of each kind are enough.
    """
    result = Walk(role)
    per_route = Counter()
    queue = deque((url, 0, None, Link(url)) for url in start_urls)
    seen, per_group = {(url, False, promised_type(url)) for url in start_urls}, Counter()
    while queue and result.pages < max_pages:
        url, depth, linked_from, link = queue.popleft()
        result.pages += 1
        for found in _visit(client, result, url, linked_from, link):
            result.links += 1
            address = _same_site_address(found.url)
            if address is None or depth >= max_depth:
                continue
            # A download link to an address walked as a page is checked again: its promise
            # differs (the export links that rendered as `href="?"` pointed at their own page).
            promise = promised_type(address, found.type)
            key, group = (address, found.download, promise), _variant_group(address)
            if group is None or key in seen:
                continue
            seen.add(key)
            limit = 1 if address.startswith("/admin/") else VARIANTS_PER_GROUP
            per_group[group, found.download, promise] += 1
            if per_group[group, found.download, promise] > limit:
                continue
            if pages_per_route is not None:
                parts = urlsplit(address)
                kind = _route(parts.path), frozenset(dict(parse_qsl(parts.query, True)))
                per_route[kind] += 1
                if per_route[kind] > pages_per_route:
                    continue
            queue.append((address, depth + 1, url, found))
    return result


def _variant_group(address: str):
    """Addresses that show the same page in another order or selection share a group.

    Every address without a query string is its own group, so every programme's pages are
    walked; addresses with one are grouped by URL route and set of parameter names (`?sort=…`,
    `?page=…`, the filter form), since they render the same template with other rows, and
    `walk` opens a few of each group. In the admin, whose lists offer a link per sort column,
    filter value and their combinations (160 addresses for the contribution list alone) and
    whose records all have the same change, history and delete pages, the group is the route
    and parameter name, and addresses combining parameters are not walked (None).
    """
    parts = urlsplit(address)
    names = frozenset(name for name, _ in parse_qsl(parts.query, True))
    route = _route(parts.path)
    if parts.path.startswith("/admin/"):
        return (route, names) if len(names) < 2 else None
    return (route, names) if names else address


def _route(path: str) -> str:
    """The URL pattern of an address, its language prefix included (`en/programmes/<slug:slug>/`):
    the two languages of a page are walked as two routes."""
    try:
        with translation.override(language_of(path)):
            return resolve(path).route
    except Resolver404:
        return path


def _same_site_address(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
        return None
    if parts.path.startswith(NOT_WALKED_PATHS):
        return None
    return urlunsplit(("", "", parts.path, parts.query, ""))


def _get(client, url):
    """The answer, with a streamed body (an export) read to its end. Reading it through the test
    client's iterator closes the response the way a server would; closing it directly would send
    `request_finished` and close the test's database connection."""
    response = client.get(url)
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    return response


def _visit(client, result, url, linked_from, link) -> list[Link]:
    """Request the address, follow its same-site redirects, record what is wrong."""
    path = urlsplit(url).path
    expected = expected_access(result.role, path)

    def finding(problem):
        result.findings.append(Finding(result.role, url, linked_from, problem))
        return []

    outcome, response, redirects, final_url = PAGE, _get(client, url), 0, url
    while response.status_code in (301, 302, 303, 307, 308) and redirects < 5:
        location = urljoin(final_url, response["Location"])
        if without_prefix(urlsplit(location).path).startswith(SIGN_IN_PATHS):
            outcome = SIGN_IN
        response, redirects, final_url = _get(client, location), redirects + 1, location
    status = response.status_code
    if status == 403:
        outcome = FORBIDDEN
    elif status != 200:
        return finding(f"answers {status}; the role should get {expected}")
    if outcome != expected:
        return finding(f"the role gets {outcome}; it should get {expected}")
    if outcome != PAGE and linked_from is not None:
        return finding(f"a link to {outcome}: its reader may not open it")
    content_type = response.get("Content-Type", "")
    promise = promised_type(url, link.type)
    if promise is None and link.download:
        return finding("marked download, but neither its address nor a type says what it is")
    if promise is not None and not content_type.startswith(promise):
        return finding(f"promises {promise}, answers {content_type}")
    if not content_type.startswith(HTML):
        return []
    html = response.content.decode(response.charset or "utf-8")
    if leaked := TEMPLATE_SYNTAX.search(html):
        finding(f"shows template syntax: {html[leaked.start() : leaked.start() + 30]!r}")
    (result.refused if outcome == FORBIDDEN else result.html)[final_url] = html
    found = links_and_forms(html, final_url)
    if outcome == FORBIDDEN:
        # The 403 page's language links lead to the same refusal in the other language.
        here = without_prefix(urlsplit(final_url).path)
        found = [link for link in found if without_prefix(urlsplit(link.url).path) != here]
    return found
