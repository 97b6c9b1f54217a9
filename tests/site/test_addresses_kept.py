"""Addresses people already have keep working now that the language is in the address.

tests/site/addresses_before_the_language_prefix.txt holds every address the link walk reached
before the change, and the sample address of every URL pattern the resolver had then that
answered 200; each must still answer 200, by itself or after redirects (the old `?lang=` embeds
and `/language/<code>/` links are sent on), in the language it named or else in Dutch.
"""

import re
from pathlib import Path

import pytest
from django.test import Client

from tests.support.link_walker import ANONYMOUS, POLICY_STAFF, signed_in_client

ROOT = Path(__file__).resolve().parents[2]
LIST = ROOT / "tests" / "site" / "addresses_before_the_language_prefix.txt"


def addresses_before() -> list[tuple[str, str]]:
    lines = LIST.read_text(encoding="utf-8").splitlines()
    return [tuple(line.split(" ", 1)) for line in lines if line and not line.startswith("#")]


def named_language(path: str) -> str:
    """The language an old address asked for: `?lang=en` or `/language/en/`, else Dutch."""
    asked = re.search(r"[?&]lang=(\w+)|^/language/(\w+)/", path)
    return next((code for code in asked.groups() if code), "nl") if asked else "nl"


def test_the_list_is_the_walk_and_every_pattern():
    found = addresses_before()
    assert len(found) > 100
    assert {role for role, _ in found} == {ANONYMOUS, POLICY_STAFF}
    paths = {path for _, path in found}
    assert {"/", "/programmes/ai-fabriek-groningen/embed/?lang=nl", "/language/en/"} <= paths


@pytest.mark.django_db
@pytest.mark.parametrize("role", [ANONYMOUS, POLICY_STAFF])
def test_every_address_that_answered_before_still_answers(aifabriek, role):
    client = signed_in_client(Client(), role)
    failures = []
    for who, path in addresses_before():
        if who != role:
            continue
        response = client.get(path, follow=True)
        if response.streaming:  # an export: read to its end, as a browser would
            b"".join(response.streaming_content)
        if response.status_code != 200:
            failures.append(f"{path}: {response.status_code}")
            continue
        if response["Content-Type"].startswith("text/html"):
            language = named_language(path)
            page_lang = re.search(r'<html lang="(\w+)"', response.content.decode())[1]
            if page_lang != language:
                failures.append(f"{path}: in {page_lang}, asked for {language}")
    assert failures == [], "\n".join(failures)
