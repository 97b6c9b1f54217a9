"""Time `backup` and `restore --replace`, and size the file: the shipped data, then a portfolio.

Run with `.venv/bin/python scripts/benchmark_backup.py` (uses DATABASE_URL or the SQLite file,
after `migrate`, on a database without data of its own). The portfolio is `generate_demo_data`'s
with 1,000 programmes. Everything it writes is rolled back at the end.
"""

import tempfile
import time
from pathlib import Path

from benchmarking import Rollback, setup_django

setup_django()

from django.db import connection, transaction  # noqa: E402

from aifabriek.ops.backup import restore_backup, write_backup  # noqa: E402
from funding.dataset import load_data_file  # noqa: E402
from funding.demo.data import generate_demo_data  # noqa: E402

# The generated portfolio: 1,000 programmes sharing 10,000 contributions, and one with 1,000.
PROGRAMMES = 1000
CONTRIBUTIONS = 10_000
BIG = 1000


def measure(label: str, folder: Path) -> None:
    path = folder / f"{label}.jsonl.gz"
    wall, cpu = time.perf_counter(), time.process_time()
    summary = write_backup(path)
    backup = time.perf_counter() - wall, time.process_time() - cpu
    wall, cpu = time.perf_counter(), time.process_time()
    restore_backup(path, replace=True)
    restore = time.perf_counter() - wall, time.process_time() - cpu
    # CPU time is this process's alone; on a busy machine wall time is mostly waiting.
    print(
        f"  {label:<32} {sum(summary.counts.values()):>7} rows  {summary.size / 1024:8.1f} KiB  "
        f"backup {backup[0]:6.2f} s ({backup[1]:5.2f} s CPU)  "
        f"restore {restore[0]:6.2f} s ({restore[1]:5.2f} s CPU)"
    )


def main():
    print(f"{connection.vendor}:")
    with tempfile.TemporaryDirectory() as folder:
        try:
            with transaction.atomic():
                load_data_file()
                measure("shipped data set", Path(folder))
                generate_demo_data(
                    programmes=PROGRAMMES, contributions=CONTRIBUTIONS, big=BIG, seed=1
                )
                measure(f"+ {PROGRAMMES} generated programmes", Path(folder))
                raise Rollback
        except Rollback:
            pass


if __name__ == "__main__":
    main()
