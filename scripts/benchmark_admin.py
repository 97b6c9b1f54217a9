"""Time the admin's big lists on the data already in the database (e.g. a generated portfolio).

Run with `DATABASE_URL=... .venv/bin/python scripts/benchmark_admin.py [--runs N]` after loading
data. Signs in as a funding admin created for the run, requests each page N times through
Django's test client and prints the median and 95th percentile in ms and the queries of one
request. The sign-in account is rolled back at the end; the pages themselves write nothing.
"""

import argparse
import statistics
import time

from benchmarking import QueryCounter, Rollback, setup_django

setup_django()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from funding.models import Contribution, Organisation, Programme  # noqa: E402
from funding.permissions import FUNDING_ADMINS  # noqa: E402

ADMIN = "/admin/funding"


def pages() -> list[str]:
    """The lists a funding admin opens, filled in from the data: the biggest programme first."""
    big = (
        Programme.objects.annotate(size=Count("contributions"))
        .order_by("-size")
        .values_list("pk", flat=True)
        .first()
    )
    contribution = Contribution.objects.filter(programme=big).order_by("pk").first()
    funder = Organisation.objects.filter(contributions__isnull=False).order_by("-pk").first()
    return [
        f"{ADMIN}/contribution/",
        f"{ADMIN}/contribution/?status__exact=committed",
        f"{ADMIN}/contribution/?programme__id__exact={big}",
        f"{ADMIN}/contribution/?q={funder.name.replace(' ', '+')}",
        f"{ADMIN}/contribution/?q={contribution.key}",
        f"{ADMIN}/contribution/?q=loket&status__exact=requested",
        f"{ADMIN}/contribution/?has_source=public_no",
        f"{ADMIN}/contribution/?o=4.-1",
        f"{ADMIN}/contribution/{contribution.pk}/change/",
        f"{ADMIN}/contribution/{contribution.pk}/history/",
        f"{ADMIN}/statusevent/",
        f"{ADMIN}/statusevent/?status__exact=disbursed",
        f"{ADMIN}/payment/",
        f"{ADMIN}/programme/",
        f"{ADMIN}/programme/{big}/change/",
    ]


def measure(client: Client, url: str, runs: int) -> tuple[float, float, int, int]:
    timings, first = [], QueryCounter()
    for run in range(runs):
        counter = first if run == 0 else QueryCounter()
        with connection.execute_wrapper(counter):
            started = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return statistics.median(timings) * 1000, p95 * 1000, first.count, len(response.content)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    try:
        with transaction.atomic():
            user = User.objects.create_user("bench-controller", is_staff=True)
            user.groups.add(Group.objects.get(name=FUNDING_ADMINS))
            client = Client()
            client.force_login(user)
            print(
                f"{connection.vendor}: {Programme.objects.count()} programmes, "
                f"{Contribution.objects.count()} contributions; {runs} requests each"
            )
            for url in pages():
                median, p95, queries, size = measure(client, url, runs)
                print(
                    f"  {url:<58} median {median:7.1f} ms  p95 {p95:7.1f} ms  "
                    f"{queries:3} queries  {size / 1024:7.0f} kB"
                )
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
