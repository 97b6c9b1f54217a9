"""The one cache (funding/cache.py): its keys, its rendered document and its hit/miss metric."""

import ast
import hashlib
from datetime import date
from pathlib import Path

import pytest
from django.http import Http404
from django.utils import translation
from prometheus_client import REGISTRY

from funding.admin.lists import TotalsPaginator
from funding.cache import (
    MAX_KEY_LENGTH,
    Rendered,
    bump_generation,
    cache_key,
    cached,
    generation,
    query_key,
    retire_signed_in,
    signed_in_entry,
)
from funding.models import Contribution

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
SLUG = "ai-fabriek-groningen"


def cache_reads(result: str) -> float:
    return REGISTRY.get_sample_value("aifabriek_public_cache_total", {"result": result}) or 0.0


def counted(read) -> tuple[float, float]:
    """The misses and hits that `read()` counted."""
    misses, hits = cache_reads("miss"), cache_reads("hit")
    read()
    return cache_reads("miss") - misses, cache_reads("hit") - hits


def test_a_key_names_scope_generation_language_day_and_address_in_their_places():
    with translation.override("en"):
        key = cache_key("page", scope="staff", day=date(2026, 3, 1), address="/dashboard/?p=2")
    assert key == (
        f"funding:v2:staff:{generation()}:en:2026-03-01:{query_key('/dashboard/?p=2')}:page"
    )


def test_a_key_says_dash_for_what_the_value_does_not_vary_by():
    assert cache_key("portfolio", scope="staff", language=False) == (
        f"funding:v2:staff:{generation()}:-:-:-:portfolio"
    )


def test_public_keys_vary_by_language_by_default():
    with translation.override("nl"):
        dutch = cache_key("badge", SLUG)
    with translation.override("en"):
        english = cache_key("badge", SLUG)
    assert dutch == f"funding:v2:public:{generation()}:nl:-:-:badge:{SLUG}"
    assert english == f"funding:v2:public:{generation()}:en:-:-:badge:{SLUG}"


def test_a_key_carries_no_address_as_typed():
    address = "/programmes/x/?q=a b&page=2"
    key = cache_key("page", address=address)
    assert " " not in key and "?q=" not in key
    assert key != cache_key("page", address=address + "0")


@pytest.mark.parametrize(
    "options", [{}, {"scope": "staff", "language": False, "day": date(2026, 3, 1)}]
)
def test_a_long_key_carries_a_hash_of_its_parts_whatever_its_options(options):
    slug = "9" * 300
    key = cache_key("programme", slug, **options)
    assert len(key) <= MAX_KEY_LENGTH
    assert key.startswith(f"funding:v2:{options.get('scope', 'public')}:{generation()}:")
    assert key.split(":")[-2] == "sha256"
    assert key != cache_key("programme", slug + "0", **options)


def test_a_saved_change_retires_every_key():
    before = cache_key("portfolio", scope="staff", language=False)
    bump_generation()
    assert cache_key("portfolio", scope="staff", language=False) != before


def test_cached_builds_once_and_counts_a_miss_then_a_hit():
    builds = []

    def build():
        builds.append(1)
        return "value"

    assert counted(lambda: cached(("test-value",), build)) == (1, 0)
    assert counted(lambda: cached(("test-value",), build)) == (0, 1)
    assert builds == [1]


def test_cached_stores_nothing_when_the_build_raises():
    def missing():
        raise Http404

    for _attempt in range(2):
        with pytest.raises(Http404):
            cached(("test-missing",), missing)
    assert cached(("test-missing",), lambda: "found") == "found"


def test_rendered_takes_its_etag_from_its_bytes():
    svg = Rendered.of("<svg>€</svg>", "image/svg+xml")
    assert svg.body == "<svg>€</svg>".encode()
    assert svg.etag == f'"{hashlib.sha256(svg.body).hexdigest()[:32]}"'
    assert svg.etag != Rendered.of("<svg>€1</svg>", "image/svg+xml").etag
    assert svg.last_modified is None
    response = svg.response()
    assert response.content == svg.body
    assert response["Content-Type"] == "image/svg+xml"


def test_dashboard_reads_count_as_hits_and_misses(staff_client, aifabriek):
    url = f"/dashboard/{SLUG}/"
    # The body, and the dashboard's figures inside it (the chart CSVs share them).
    assert counted(lambda: staff_client.get(url)) == (2, 0)
    assert counted(lambda: staff_client.get(url)) == (0, 1)
    assert counted(lambda: staff_client.get(f"/dashboard/{SLUG}/charts/progress.csv")) == (0, 1)


def test_admin_list_totals_count_as_hits_and_misses(aifabriek):
    def totals():
        return TotalsPaginator(Contribution.objects.order_by("pk"), 25).totals

    assert counted(totals) == (1, 0)
    assert counted(totals) == (0, 1)


def app_modules():
    for package in ("funding", "accounts", "aifabriek"):
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path, ast.parse(path.read_text())


def test_only_the_cache_module_reads_and_writes_the_cache():
    """Whatever reads the cache by itself rebuilds the key recipe and skips the metric."""
    allowed = {"funding/cache.py", "aifabriek/ops/redis_cache.py"}
    users = {
        str(path.relative_to(ROOT))
        for path, tree in app_modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("django.core.cache")
    }
    assert users <= allowed


def test_only_the_cache_module_defines_a_body_with_an_etag():
    """One rendered-document type: no other class holds a body and its ETag."""
    types = {
        f"{path.relative_to(ROOT)}:{node.name}"
        for path, tree in app_modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        and {"body", "etag"}
        <= {
            statement.target.id
            for statement in node.body
            if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name)
        }
    }
    assert types == {"funding/cache.py:Rendered"}


def test_a_signed_in_entry_is_kept_until_the_user_is_retired():
    assert signed_in_entry(7, "backend", lambda: "first") == "first"
    assert signed_in_entry(7, "backend", lambda: "not read") == "first"
    retire_signed_in(7)
    assert signed_in_entry(7, "backend", lambda: "second") == "second"


def test_an_entry_read_before_a_change_is_never_served_after_it():
    def read_then_changed():
        retire_signed_in(7)  # the user changed while their old rows were being read
        return "old rights"

    assert signed_in_entry(7, "backend", read_then_changed) == "old rights"
    assert signed_in_entry(7, "backend", lambda: "new rights") == "new rights"
    assert signed_in_entry(7, "backend", lambda: "not read") == "new rights"


def test_signed_in_entries_are_per_user_and_per_backend():
    assert signed_in_entry(7, "backend", lambda: "seven") == "seven"
    assert signed_in_entry(8, "backend", lambda: "eight") == "eight"
    assert signed_in_entry(7, "other", lambda: "seven, other") == "seven, other"
    retire_signed_in(8)
    assert signed_in_entry(7, "backend", lambda: "not read") == "seven"
