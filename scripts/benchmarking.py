"""What the benchmark scripts share: Django set up from the project, a query counter, a rollback."""

import os
import sys
from pathlib import Path

import django


def setup_django() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aifabriek.settings")
    django.setup()


class Rollback(Exception):
    """Raised at the end of a benchmark's transaction so that nothing it wrote stays."""


class QueryCounter:
    """A database execute wrapper that counts the queries run through it."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)
