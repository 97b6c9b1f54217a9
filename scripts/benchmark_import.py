"""Time the import of 1,000 contributions: the preview (a dry run) and the import itself.

Run with `.venv/bin/python scripts/benchmark_import.py` (uses DATABASE_URL or the SQLite file).
Everything it writes is rolled back at the end.
"""

import time

from benchmarking import QueryCounter, Rollback, setup_django

setup_django()

import tablib  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from funding.admin.importing import ContributionResource  # noqa: E402
from funding.models import Organisation, Programme  # noqa: E402

ROWS = 1000


def dataset(funder_key: str) -> tablib.Dataset:
    data = tablib.Dataset(headers=["key", "funder", "instrument", "amount", "status", "public"])
    for index in range(1, ROWS + 1):
        data.append([f"bench-{index}", funder_key, f"Regeling {index}", f"{index}000.00", "", "ja"])
    return data


def main():
    try:
        with transaction.atomic():
            funder = Organisation.objects.create(key="bench-funder", name="Bench funder")
            programme = Programme.objects.create(name="Bench", slug="bench", target=1)
            rows = dataset(funder.key)
            for label, dry_run in [("preview (dry run)", True), ("import", False)]:
                resource = ContributionResource(programme=programme)
                queries = QueryCounter()
                with connection.execute_wrapper(queries):
                    started = time.perf_counter()
                    result = resource.import_data(rows, dry_run=dry_run, file_name="bench.csv")
                    seconds = time.perf_counter() - started
                assert not result.has_errors() and not result.has_validation_errors()
                print(
                    f"{connection.vendor}: {label} of {ROWS} rows: {seconds:.2f} s, "
                    f"{queries.count} queries ({queries.count / ROWS:.1f} a row)"
                )
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
