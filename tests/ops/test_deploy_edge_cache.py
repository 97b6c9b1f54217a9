"""The edge cache in deploy/nginx/: what nginx keeps, for whom, and what it serves when the app
fails; it agrees with the app's own rule (funding/cache_headers.py) and with the settings."""

import re

import pytest
from django.conf import settings

from deploy.stack import APP_CONF, SITE_CONF, cache_blocks, nginx_conf
from funding.cache_headers import is_public_address


def location_root() -> str:
    return re.search(r"^location / \{\n(.*?)^\}", APP_CONF.read_text(), re.S | re.M).group(1)


def directive(block: str, name: str) -> str:
    values = re.findall(rf"^\s*{name}\s+([^;]+);", block, re.M)
    assert len(values) == 1, f"{name}: {values}"
    return " ".join(values[0].split())


def test_the_public_addresses_are_cached_on_scheme_host_and_address():
    block = location_root()
    assert directive(block, "proxy_cache") == "aifabriek"
    assert directive(block, "proxy_cache_key") == "$scheme$host$request_uri"


def test_one_request_fills_an_entry_and_the_last_good_copy_survives_failures():
    block = location_root()
    assert directive(block, "proxy_cache_lock") == "on"
    assert directive(block, "proxy_cache_background_update") == "on"
    assert directive(block, "proxy_cache_use_stale") == (
        "updating error timeout http_500 http_502 http_503 http_504"
    )


def test_the_app_s_cache_control_decides_what_is_kept_and_for_how_long():
    snippet, site = APP_CONF.read_text(), SITE_CONF.read_text()
    for overriding in ("proxy_cache_valid", "proxy_ignore_headers", "proxy_hide_header"):
        assert not re.search(rf"^\s*{overriding}\s", snippet + site, re.M)


def test_signed_in_requests_skip_the_cache_both_ways():
    block = location_root()
    conditions = "$aifabriek_not_shared $aifabriek_not_public"
    assert directive(block, "proxy_cache_bypass") == conditions
    assert directive(block, "proxy_no_cache") == conditions


def test_the_cookies_that_skip_the_cache_are_the_settings():
    not_shared = re.search(r'^map "([^"]+)" \$aifabriek_not_shared', SITE_CONF.read_text(), re.M)
    assert set(re.findall(r"\$(\w+)", not_shared.group(1))) == {
        f"cookie_{settings.SESSION_COOKIE_NAME}",
        "http_authorization",
    }


def nginx_public_patterns() -> list[re.Pattern]:
    block = re.search(
        r"^map \$uri \$aifabriek_not_public \{\n(.*?)^\}", SITE_CONF.read_text(), re.S | re.M
    ).group(1)
    assert re.search(r"^\s*default 1;", block, re.M)
    return [re.compile(found) for found in re.findall(r'"~([^"]+)" 0;', block)]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/en/",
        "/programmes/ai-fabriek-groningen/",
        "/en/programmes/ai-fabriek-groningen/changes/",
        "/programmes/ai-fabriek-groningen/badge.svg",
        "/programmes/ai-fabriek-groningen/feed/",
        "/toegankelijkheid/",
        "/api/programmes/",
        "/en/api/oc4ids.json",
        "/programmes/",
        "/dashboard/",
        "/en/dashboard/ai-fabriek-groningen/",
        "/admin/",
        "/accounts/login/",
        "/language/en/",
        "/healthz",
        "/metrics",
        "/enquete/",
    ],
)
def test_nginx_looks_up_exactly_the_addresses_the_app_may_share(path):
    in_nginx = any(pattern.search(path) for pattern in nginx_public_patterns())
    assert in_nginx is is_public_address(path)


def test_the_trial_keeps_its_cache_in_its_own_folder_and_says_what_it_did(tmp_path):
    conf = nginx_conf(state_dir=tmp_path, port=8790, app_ports=[8791])
    assert f"proxy_cache_path {tmp_path}/nginx-cache levels=1:2 keys_zone=aifabriek:" in conf
    assert "/var/cache/nginx" not in conf
    assert "add_header X-Cache-Status $upstream_cache_status always;" in conf
    assert cache_blocks(SITE_CONF.read_text(), tmp_path / "c").count("map ") == 2


def test_the_site_keeps_stale_pages_longer_than_an_outage_lasts():
    line = " ".join(
        re.search(r"^proxy_cache_path ([^;]+);", SITE_CONF.read_text(), re.M)[1].split()
    )
    assert "inactive=7d" in line and "keys_zone=aifabriek:" in line
    assert settings.PUBLIC_STALE_IF_ERROR >= 60 * 60
