"""A source's text as the quote check reads it: HTML made text, and text made comparable.

A quoted passage is typed by a person from a page that a browser rendered, so the same words can
differ in ways nobody reads: curly or straight quotes, a dash or a hyphen, a soft hyphen the
page hides, a non-breaking space, a line break. `comparable` removes those differences (and only
those: letters, digits, case and punctuation stay as the source wrote them), and
`passage_found` looks for the passage in the text with both made comparable. An ellipsis in the
passage ("…", "...", "[…]") stands for words left out: the parts around it must appear in order.
"""

import re
import unicodedata
from html.parser import HTMLParser

# Elements whose content is no text a reader sees.
HIDDEN = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object"}
# Elements that start a new line, so that words of two blocks do not run together.
BLOCKS = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
    "nav", "ol", "p", "pre", "section", "table", "td", "th", "title", "tr", "ul",
}  # fmt: skip
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
QUOTES = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′`´", "'"),
        **dict.fromkeys("“”„‟″«»", '"'),
        **dict.fromkeys("‐‑‒–—―−﹘﹣－", "-"),
    }
)
ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:…|\.\.\.)\s*\]|…|\.\.\.)\s*")
SPACES = re.compile(r"\s+")


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN:
            self.hidden_depth += 1
        elif tag in BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in HIDDEN:
            self.hidden_depth = max(self.hidden_depth - 1, 0)
        elif tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.hidden_depth:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The text a reader sees in an HTML page, a line per block."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    return tidy("".join(parser.parts))


def tidy(text: str) -> str:
    """Lines stripped, spaces within a line joined, no empty lines: what the snapshot keeps."""
    lines = (SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def decode(body: bytes, content_type: str) -> str:
    """The body as text, in the character set the answer declares (UTF-8 when it declares none)."""
    match = re.search(r"charset=[\"']?([\w.:-]+)", content_type, flags=re.IGNORECASE)
    if match:
        try:
            return body.decode(match.group(1), errors="replace")
        except LookupError:
            pass  # an unknown character set: try UTF-8
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("cp1252", errors="replace")


def comparable(text: str) -> str:
    """Text with the differences nobody reads removed (see the module's docstring)."""
    text = unicodedata.normalize("NFKC", text).translate(INVISIBLE).translate(QUOTES)
    return SPACES.sub(" ", text).strip()


def passage_found(passage: str, text: str) -> bool:
    """Whether the quoted passage stands in the text; an ellipsis skips words left out."""
    haystack = comparable(text)
    parts = [comparable(part) for part in ELLIPSIS.split(passage)]
    parts = [part for part in parts if part]
    if not parts:
        return False
    start = 0
    for part in parts:
        found = haystack.find(part, start)
        if found < 0:
            return False
        start = found + len(part)
    return True
