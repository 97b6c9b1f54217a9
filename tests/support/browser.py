"""Debian's chromium for the browser tests: its flags, axe-core, signing in as a person does."""

import os
import shutil
from pathlib import Path

from tests.support.users import PASSWORD

AXE_SCRIPT = Path(__file__).resolve().parents[1] / "vendor" / "axe.min.js"


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


# Flags for a closed network: no background requests to hosts this machine cannot reach.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def axe_violations(page, impacts=("serious", "critical")):
    """Run axe-core on the page and return its violations of the given impacts."""
    page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    result = page.evaluate(
        "() => axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def sign_in_in_browser(page, base_url, username, password=PASSWORD, language="nl"):
    """Sign in on the sign-in page in `language` (Dutch at /accounts/login/, English under /en/)."""
    page.goto(
        base_url + ("/accounts/login/" if language == "nl" else f"/{language}/accounts/login/")
    )
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    # The form in main, not the sign-out button in the header.
    with page.expect_navigation():
        page.click("main button[type=submit]")


def sign_in_to_admin(page, base_url, username):
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("#login-form input[type=submit]").click()
    page.wait_for_url(f"{base_url}/admin/")


SIZES = {"desktop": (1280, 800), "phone": (390, 844)}


LANGUAGES = {"nl": "nl-NL", "en": "en-GB"}


def keep_screenshot(page, name):
    shots = os.environ.get("SHOTS_DIR")
    if shots:
        page.screenshot(path=str(Path(shots) / f"{name}.png"), full_page=True)
