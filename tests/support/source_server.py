"""A web server on loopback that plays the sites the sources cite, for the source check's tests.

It serves the shipped data set's two press releases (the texts in funding/data/sources/, the same
as the seeds, so a fresh clone needs nothing beside the repository): one as an HTML page written
the way sites write (curly quotes, a soft hyphen, non-breaking spaces, markup around words), one
as plain text. Beside them: a page whose text the test can change, a 301 to a new address, a 404,
a 410, a slow page, a 50 MB page, a PDF, and a redirect to the cloud metadata address. It
remembers every request it saw, so a test can assert that none reached it.
"""

import html
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from funding.source_archive import SHIPPED_TEXTS

EZ_TEXT = (SHIPPED_TEXTS / "ez-ai-fabriek-200-miljoen.txt").read_text("utf-8")
DEFENSIE_TEXT = (SHIPPED_TEXTS / "defensie-investeert-ai-fabriek.txt").read_text("utf-8")
HUGE_BYTES = 50 * 1024 * 1024
SLOW_SECONDS = 3


def as_web_page(text: str) -> str:
    """The text as a site would publish it: a page with navigation, script, and typography."""
    title, _, body = text.partition("\n")
    paragraphs = []
    for paragraph in filter(None, (line.strip() for line in body.splitlines())):
        escaped = html.escape(paragraph, quote=False)
        # What a browser shows the same but a naive comparison does not: a soft hyphen, a
        # non-breaking space, a word split by markup.
        escaped = escaped.replace("AI-fabriek", "AI-fab&shy;riek")
        escaped = escaped.replace(" miljoen", "&nbsp;miljoen")
        escaped = escaped.replace("kabinet", "<strong>kabi</strong>net", 1)
        paragraphs.append(f"<p>{escaped}</p>")
    return (
        "<!doctype html><html lang='nl'><head><title>Rijksoverheid</title>"
        "<style>p { margin: 0 }</style><script>var tracking = 'kabinet €70 miljoen';</script>"
        f"</head><body><nav><a href='/'>Home</a></nav><main><h1>{html.escape(title)}</h1>"
        + "\n".join(paragraphs)
        + "</main><footer>Contact</footer></body></html>"
    )


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a client that stopped reading (the time or size limit) is what the tests want


class SourceSite:
    """The server's state: what it serves at /changing, and the requests it has seen."""

    def __init__(self):
        self.changing_text = EZ_TEXT
        self.requests: list[dict] = []
        self.huge_sent = 0
        self.server: ThreadingHTTPServer | None = None

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def paths(self) -> list[str]:
        return [request["path"] for request in self.requests]

    def start(self):
        site = self

        class Handler(SourceHandler):
            state = site

        self.server = QuietServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class SourceHandler(BaseHTTPRequestHandler):
    state: SourceSite

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.state.requests.append({"path": self.path, "headers": dict(self.headers)})
        route = ROUTES.get(self.path.split("?")[0])
        if route is None and self.path.startswith("/long/"):
            route = SourceHandler.ez_page
        if route is None:
            return self.answer(404, "text/html; charset=utf-8", b"<p>Niet gevonden</p>")
        return route(self)

    def answer(self, status: int, content_type: str, body: bytes, **headers):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def ez_page(self):
        self.answer(200, "text/html; charset=utf-8", as_web_page(EZ_TEXT).encode())

    def defensie_text(self):
        self.answer(200, "text/plain; charset=utf-8", DEFENSIE_TEXT.encode())

    def changing(self):
        self.answer(200, "text/html; charset=utf-8", as_web_page(self.state.changing_text).encode())

    def moved(self):
        self.answer(301, "text/html", b"", Location="/nieuws/ez-ai-fabriek.html")

    def long_redirect(self):
        self.answer(302, "text/html", b"", Location="/long/" + "a" * 294)

    def not_found(self):
        self.answer(404, "text/html", b"<p>Niet gevonden</p>")

    def gone(self):
        self.answer(410, "text/html", b"<p>Verwijderd</p>")

    def slow(self):
        time.sleep(SLOW_SECONDS)
        self.ez_page()

    def huge(self):
        # No Content-Length: the reader cannot know the size beforehand and must stop itself.
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Connection", "close")
        self.end_headers()
        chunk = b"<p>" + b"x" * (1024 * 1024 - 7) + b"</p>\n"
        try:
            while self.state.huge_sent < HUGE_BYTES:
                self.wfile.write(chunk)
                self.state.huge_sent += len(chunk)
        except OSError:
            pass  # the reader stopped at its limit and closed the connection

    def pdf(self):
        self.answer(200, "application/pdf", b"%PDF-1.4\n% a press release\n%%EOF\n")

    def to_metadata(self):
        self.answer(302, "text/html", b"", Location="http://169.254.169.254/latest/meta-data/")


ROUTES = {
    "/ez.html": SourceHandler.ez_page,
    "/nieuws/ez-ai-fabriek.html": SourceHandler.ez_page,
    "/defensie.txt": SourceHandler.defensie_text,
    "/changing.html": SourceHandler.changing,
    "/moved": SourceHandler.moved,
    "/long-redirect": SourceHandler.long_redirect,
    "/missing": SourceHandler.not_found,
    "/gone": SourceHandler.gone,
    "/slow": SourceHandler.slow,
    "/huge": SourceHandler.huge,
    "/report.pdf": SourceHandler.pdf,
    "/to-metadata": SourceHandler.to_metadata,
}
