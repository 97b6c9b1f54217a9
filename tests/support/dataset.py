"""The shipped data set as the tests know it: its programme and the records no public face shows."""

from django.db import connection, transaction

from funding.dataset import load_data_file
from funding.governance.context import switching

AIFABRIEK = "ai-fabriek-groningen"


# Names of records that are not public; no public page, feed or open data may mention them.
HIDDEN_NAMES = ("Hidden Fund", "Confidential step", "Secret memo")


def transactional(item) -> bool:
    """Whether pytest-django runs the test as a TransactionTestCase (it empties the tables)."""
    marker = item.get_closest_marker("django_db")
    names = getattr(item, "fixturenames", ())
    return bool(
        (marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
        or {"transactional_db", "live_server", "django_db_reset_sequences"} & set(names)
    )


def run_order(item) -> int:
    """pytest-django's order: rollback tests, transactional ones, those without a database."""
    if transactional(item):
        return 1
    if item.get_closest_marker("django_db") or "db" in getattr(item, "fixturenames", ()):
        return 0
    return 2


def reads_shared_data(item) -> bool:
    """Whether the test asks for the data set inside a transaction that is rolled back."""
    return "aifabriek" in getattr(item, "fixturenames", ()) and not transactional(item)


def load_for_tests(*, four_eyes: bool = False):
    """The data set as `load_aifabriek` loads it, with its four-eyes rule off unless asked.

    The tests of the other capabilities change the shipped records directly (a status, an
    amount) to see the change log, history or conflicts follow; the rule's own tests
    (tests/core/test_four_eyes*.py, tests/admin/test_four_eyes*.py) ask for it on, which is how
    the loader ships it (tests/core/test_four_eyes_rules.py checks that).
    """
    from funding.models import Programme

    report = load_data_file()
    if not four_eyes:
        with switching():
            Programme.objects.filter(slug=AIFABRIEK).update(four_eyes=False)
    return report


class SharedDataSet:
    """The data set loaded once, in a transaction held open across the tests that read it.

    Each of those tests runs in a savepoint inside it (pytest-django's per-test transaction),
    so what a test changes is rolled back and the next test finds the data set as loaded. The
    transaction is rolled back before any other test, so no test sees data it did not ask for.
    """

    def __init__(self):
        self.blocker = None  # pytest-django's, once the test database is set up
        self.atomic = None
        self.wanted = False  # by the test being set up

    def settle(self) -> None:
        """Load the data set for a test that reads it; drop it before any other test."""
        if self.loaded and connection.closed_in_transaction:
            # A test closed the connection (closing a response does, as a server would): the
            # transaction is gone with it.
            self.drop()
        if not self.wanted:
            self.drop()
        elif self.blocker and not self.loaded:
            self.load()

    @property
    def loaded(self) -> bool:
        return self.atomic is not None

    def load(self) -> None:
        with self.blocker.unblock():
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            load_for_tests()

    def drop(self) -> None:
        if self.atomic is None:
            return
        with self.blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.atomic = None
