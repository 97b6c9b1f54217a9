"""Screenshots of the admin pages changed for the admin workflow, signed in as a controller.

Usage: .venv/bin/python scripts/admin_screenshots.py BASE_URL USERNAME PASSWORD OUT_PREFIX
"""

import sys

from playwright.sync_api import sync_playwright

PAGES = [
    ("changelist", "/admin/funding/contribution/"),
    ("changelist-filtered", "/admin/funding/contribution/?status__exact=requested&has_source=yes"),
    ("change", "/admin/funding/contribution/{eu}/change/"),
    ("history", "/admin/funding/contribution/{eu}/history/"),
    ("import", "/admin/funding/contribution/import/"),
]


def main(base_url, username, password, prefix, eu="3", locale="nl-NL"):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale=locale)
        errors = []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.goto(f"{base_url}/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("input[type=submit]")
        for name, path in PAGES:
            page.goto(base_url + path.format(eu=eu))
            page.screenshot(path=f"{prefix}{name}.png", full_page=True)
            print(name, page.title(), errors)
            errors.clear()
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
