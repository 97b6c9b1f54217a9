"""Time the main pages with a large portfolio: 1,000 programmes, one of them with 500 contributions.

Run with `.venv/bin/python scripts/benchmark_pages.py` (uses DATABASE_URL or the SQLite file, after
`migrate`). It prints, per page, the median and slowest of 20 requests through Django's test
client and the queries one request makes. Everything it writes is rolled back at the end.
"""

import statistics
import time
from decimal import Decimal

from benchmarking import QueryCounter, Rollback, setup_django

setup_django()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from funding.models import Contribution, Organisation, Programme  # noqa: E402
from funding.permissions import POLICY_STAFF  # noqa: E402

PROGRAMMES = 1000
CONTRIBUTIONS = 500
RUNS = 20
STATUSES = ["requested", "committed", "disbursed", "withdrawn"]


def portfolio() -> str:
    funders = Organisation.objects.bulk_create(
        Organisation(key=f"bench-funder-{n}", name=f"Bench funder {n}") for n in range(20)
    )
    programmes = Programme.objects.bulk_create(
        Programme(
            name=f"Bench {n:04}", slug=f"bench-{n:04}", target=Decimal(n * 1000), is_public=True
        )
        for n in range(PROGRAMMES)
    )
    big = programmes[0]
    Contribution.objects.bulk_create(
        Contribution(
            programme=programme,
            key=f"bench-{programme.pk}-{n}",
            funder=funders[n % len(funders)],
            instrument=f"Regeling {n % 7}",
            amount=Decimal(1000 + n),
            status=STATUSES[n % len(STATUSES)],
            is_public=True,
        )
        for programme in programmes
        for n in range(CONTRIBUTIONS if programme is big else 1)
    )
    return big.slug


def measure(client: Client, url: str, *, cold: bool) -> tuple[float, float, int]:
    timings, queries = [], QueryCounter()
    for run in range(RUNS):
        if cold:
            cache.clear()
        counter = QueryCounter() if run else queries
        with connection.execute_wrapper(counter):
            started = time.perf_counter()
            response = client.get(url, HTTP_HOST="127.0.0.1")
            timings.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings) * 1000, max(timings) * 1000, queries.count


def main():
    try:
        with transaction.atomic():
            slug = portfolio()
            user = User.objects.create_user("bench-staff")
            user.groups.add(Group.objects.get(name=POLICY_STAFF))
            staff, public = Client(), Client()
            staff.force_login(user)
            pages = [
                (staff, "/dashboard/", False),
                (staff, f"/dashboard/{slug}/", False),
                (staff, f"/dashboard/{slug}/contributions/", False),
                (staff, f"/dashboard/{slug}/contributions/?status=committed&sort=-amount", False),
                (staff, f"/dashboard/{slug}/contributions/?export=csv", False),
                (staff, f"/dashboard/{slug}/contributions/?export=xlsx", False),
                (public, "/", True),
                (public, f"/programmes/{slug}/", True),
                (public, f"/api/programmes/{slug}/", True),
                (public, f"/api/programmes/{slug}/", False),
            ]
            print(
                f"{connection.vendor}: {PROGRAMMES} programmes, {CONTRIBUTIONS} contributions "
                f"in {slug}; {RUNS} requests each"
            )
            for client, url, cold in pages:
                median, slowest, queries = measure(client, url, cold=cold)
                cache_state = "cold cache" if cold else ("warm cache" if client is public else "")
                print(
                    f"  {url:<66} {cache_state:<10} median {median:7.1f} ms  "
                    f"slowest {slowest:7.1f} ms  {queries:3} queries"
                )
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
