"""Pages as a browser set to a language asks for them, and the chart figures they carry."""

import json
import re


def get_in(client, url, language="en"):
    """The answer to a GET from a browser set to `language`; it must be a 200."""
    response = client.get(url, headers={"accept-language": language})
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
