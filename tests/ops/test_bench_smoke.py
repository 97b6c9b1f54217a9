"""`make bench-smoke` runs end to end: every page served under wrk, the results well-formed."""

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from bench.pages import PAGES

ROOT = Path(__file__).resolve().parents[2]


def smoke_database_url() -> str:
    """A database of the smoke's own, named after the one the tests run against."""
    parts = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aifabriek"))
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_bench_smoke"))


def committed_results() -> str:
    path = ROOT / "bench" / "RESULTS.md"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def result_rows(text: str) -> dict[str, list[list[str]]]:
    """The cells of each page's row in every results table, by page name."""
    rows: dict[str, list[list[str]]] = {}
    results = text.split("## Results", 1)[1].split("## Worker memory", 1)[0]
    for line in results.splitlines():
        if line.startswith("| ") and "`" in line:
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            rows.setdefault(cells[0].split(" (`")[0], []).append(cells)
    return rows


@pytest.mark.system
def test_the_smoke_benchmark_serves_every_page_and_writes_its_results(tmp_path):
    output = tmp_path / "RESULTS.md"
    committed_before = committed_results()
    environment = {**os.environ, "BENCH_DATABASE_URL": smoke_database_url()}
    finished = subprocess.run(
        [sys.executable, "-m", "bench.run", "--smoke", "--output", str(output)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    text = output.read_text(encoding="utf-8")
    rows = result_rows(text)
    assert set(rows) == {page.name for page in PAGES}
    for name, tables in rows.items():
        assert len(tables) == 2, name  # 1 and 5 connections
        for status, per_second, *_, errors, queries, size in (cells[1:] for cells in tables):
            assert status == "200", name
            assert float(per_second) > 0, name
            assert errors == "0", name
            assert re.fullmatch(r"\d+ / \d+", queries), name
            assert int(size.replace(",", "")) > 0, name
    assert "## Machine" in text and "## Worker memory around the CSV export" in text
    targets = text.split("## Targets", 1)[1]
    verdicts = [line.rsplit("|", 2)[1].strip() for line in targets.splitlines() if "| " in line]
    assert len([v for v in verdicts if v in ("pass", "**miss**")]) == 34
    assert_the_edge_was_measured(text)
    assert committed_results() == committed_before  # the full run's results stay as they were


def assert_the_edge_was_measured(text: str) -> None:
    """Every public page through nginx from its cache without an error; the edge's own promises
    (signed-in never from the cache, a change within 10 s, pages served with the database away)
    hold even on a loaded machine; the speed ratios are the full run's to judge."""
    edge = text.split("## The edge: public pages through nginx", 1)[1].split("## Edge targets")
    rows = [line.strip("|").split("|") for line in edge[0].splitlines() if "| " in line]
    pages = [[cell.strip() for cell in row] for row in rows if "`" in row[0]]
    assert len(pages) == 6
    for name, *_, errors, cache_status in pages:
        assert errors == "0", name
        # Kept by nginx: fresh, or expired during the run and being fetched again.
        assert cache_status in {"HIT", "STALE", "UPDATING", "REVALIDATED", "EXPIRED"}, name
    targets = edge[1].split("## Targets", 1)[0]
    verdicts = {
        cells[0].strip(): cells[-1].strip()
        for cells in (line.strip("|").split("|") for line in targets.splitlines() if "| " in line)
    }
    for promise in (
        "a signed-in response served from a shared cache",
        "a saved change visible on the public page through nginx",
        "database stopped: public pages through nginx",
    ):
        assert verdicts[promise] == "pass", promise
