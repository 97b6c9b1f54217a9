"""Pages in a language, and the chart figures they carry.

The language of a page is in its address (Dutch without a prefix, English under /en/:
funding/language_addresses.py); `address_in` is the one place tests turn an address into
another language's.
"""

import json
import re

from funding.language_addresses import address_in as translated_address


def address_in(url, language):
    """The address of the same page in `language` (a language-neutral address stays as it is)."""
    return translated_address(url, language) or url


def get_in(client, url, language="en"):
    """The answer to a GET of the page at its address in `language`; it must be a 200.

    The browser asks for the other language: the address decides, never Accept-Language. The
    admin, which follows its user's preference, is asked in `language`.
    """
    other = "nl" if language == "en" else "en"
    header = language if url.startswith("/admin/") else other
    response = client.get(address_in(url, language), headers={"accept-language": header})
    assert response.status_code == 200, (url, response.status_code)
    return response


def html_in(client, url, language="en"):
    """The HTML of a page in `language`."""
    return get_in(client, url, language).content.decode()


def figure(html, name):
    """The plotly figure a page hands to charts.js through json_script."""
    match = re.search(rf'<script id="{name}-figure" type="application/json">(.*?)</script>', html)
    return json.loads(match.group(1)) if match else None


def trace(fig, name):
    return next(t for t in fig["data"] if t["name"] == name)
