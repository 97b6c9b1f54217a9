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
            shoot(page, prefix, name, errors)
        import_file(page, base_url, prefix, errors)
        conflict(browser, page, base_url, eu, prefix, errors, locale)
        browser.close()


def shoot(page, prefix, name, errors):
    page.screenshot(path=f"{prefix}{name}.png", full_page=True)
    print(name, page.title(), errors)
    errors.clear()


def import_file(page, base_url, prefix, errors):
    """A file with a bad amount and a formula, then a good one (preview only)."""
    bad = b"key,funder,amount,instrument\nnieuw-1,europese-unie,12x,Horizon\nnieuw-2,tno,5,=1+1\n"
    good = (
        b"key,funder,amount,status\nnieuw-1,tno,2500000,committed\n"
        b"eu-cofinanciering,europese-unie,75000000,requested\n"
    )
    for name, content in [("import-errors", bad), ("import-preview", good)]:
        page.goto(f"{base_url}/admin/funding/contribution/import/")
        page.select_option("#id_programme", index=1)
        page.set_input_files(
            "#id_import_file", {"name": "bijdragen.csv", "mimeType": "text/csv", "buffer": content}
        )
        page.locator("#content form input[type=submit]").click()
        page.wait_for_load_state()
        shoot(page, prefix, name, errors)


def conflict(browser, page, base_url, eu, prefix, errors, locale):
    """Two controllers open the same contribution; the second save gets the conflict message."""
    url = f"{base_url}/admin/funding/contribution/{eu}/change/"
    other = browser.new_page(viewport={"width": 1280, "height": 900}, locale=locale)
    other.context.add_cookies(page.context.cookies())
    page.goto(url)
    other.goto(url)
    other.fill("#id_amount", "80000000.00")
    other.locator("input[name=_save]").click()
    other.wait_for_load_state()
    page.fill("#id_notes", "Mijn wijziging")
    page.locator("input[name=_save]").click()
    page.wait_for_load_state()
    shoot(page, prefix, "conflict", errors)


if __name__ == "__main__":
    main(*sys.argv[1:])
