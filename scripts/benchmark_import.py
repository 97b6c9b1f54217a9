"""Time the contribution import at 1,000 and 10,000 rows: the preview (a dry run), the import
of new rows, and an import that changes every row it names (updates with status events).

Run with `.venv/bin/python scripts/benchmark_import.py [ROWS ...]` (uses DATABASE_URL or the
SQLite file). Prints seconds and queries (in all and per row) for each step. Everything it
writes is rolled back at the end.
"""

import sys
import time

from benchmarking import QueryCounter, Rollback, setup_django

setup_django()

import tablib  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from funding.admin.importing import ContributionResource  # noqa: E402
from funding.models import Organisation, Programme, Source  # noqa: E402

SIZES = [1000, 10000]


def dataset(rows: int, funder_key: str, *, status: str = "", source: str = "") -> tablib.Dataset:
    data = tablib.Dataset(
        headers=["key", "funder", "instrument", "amount", "status", "public", "effective_on"]
        + (["source"] if source else [])
    )
    for index in range(1, rows + 1):
        cells = [f"bench-{index}", funder_key, f"Regeling {index % 40}", f"{index}000.00"]
        cells += [status, "ja", "2025-01-01" if status else ""]
        data.append(cells + ([source] if source else []))
    return data


def run(label: str, rows: int, data: tablib.Dataset, programme, *, dry_run: bool) -> None:
    resource = ContributionResource(programme=programme)
    queries = QueryCounter()
    with connection.execute_wrapper(queries):
        started = time.perf_counter()
        result = resource.import_data(data, dry_run=dry_run, file_name="bench.csv")
        seconds = time.perf_counter() - started
    assert not result.has_errors() and not result.has_validation_errors(), label
    print(
        f"{connection.vendor}: {label:<32} {rows:>6} rows: {seconds:6.2f} s, "
        f"{queries.count:5} queries ({queries.count / rows:.2f} a row)"
    )


def main(sizes: list[int]):
    for rows in sizes:
        try:
            with transaction.atomic():
                funder = Organisation.objects.create(key="bench-funder", name="Bench funder")
                source = Source.objects.create(key="bench-source", title="Bench", publisher="B")
                programme = Programme.objects.create(name="Bench", slug="bench", target=1)
                new_rows = dataset(rows, funder.key)
                run("preview (dry run) of new rows", rows, new_rows, programme, dry_run=True)
                run("import of new rows", rows, new_rows, programme, dry_run=False)
                changes = dataset(rows, funder.key, status="committed", source=source.key)
                run("import committing every row", rows, changes, programme, dry_run=False)
                raise Rollback
        except Rollback:
            pass


if __name__ == "__main__":
    main([int(size) for size in sys.argv[1:]] or SIZES)
