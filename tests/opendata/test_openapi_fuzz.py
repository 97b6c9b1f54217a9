"""schemathesis against the running app: every operation of /api/openapi.json, with generated
requests (valid and invalid), answers without a server error and exactly as described (status
codes, content types, headers, bodies).

The app runs in this process as a WSGI application; schemathesis' engine sends it the examples,
the coverage cases (boundary values, wrong types, undescribed methods) and generated requests,
from worker threads, so the data set is committed (transactional_db). FUZZ_EXAMPLES and
FUZZ_RANDOM work as in test_fuzz.py.
"""

import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.db import connections
from schemathesis.engine import Status, events, from_schema

from tests.support.dataset import HIDDEN_NAMES

pytestmark = pytest.mark.fuzz

# Generated requests per operation: a quarter of the fuzz tests' examples per view, at least 10.
EXAMPLES = max(int(os.environ.get("FUZZ_EXAMPLES", "200")) // 4, 10)
SEED = 20260113


class App(WSGIHandler):
    """The app, closing the worker thread's database connection after each request (the
    threads end, and their open connections would keep the test database from being dropped),
    and noting any answer that names a non-public record."""

    def __init__(self):
        super().__init__()
        self.leaks = []

    def __call__(self, environ, start_response):
        response = super().__call__(environ, start_response)
        try:
            body = b"".join(response)
        finally:
            response.close()
            connections.close_all()
        path = environ["PATH_INFO"]
        self.leaks.extend(f"{path}: {name}" for name in HIDDEN_NAMES if name.encode() in body)
        return [body]


@pytest.fixture
def app(transactional_db, hidden_records):
    """The app over the shipped data set and a non-public contribution and milestone."""
    return App()


def run_schemathesis(app) -> tuple[list[str], int]:
    """Every phase of a schemathesis run; the problems it found, and the requests it sent."""
    explore = bool(os.environ.get("FUZZ_RANDOM"))
    config = schemathesis.Config.from_dict(
        {
            # The same requests on every run, so CI passes or fails on the code, not on a draw.
            **({} if explore else {"seed": SEED}),
            "workers": 1,
            "generation": {"max-examples": EXAMPLES, "deterministic": not explore},
        }
    )
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app, config=config)
    problems, requests = [], 0
    for event in from_schema(schema).execute():
        if isinstance(event, events.FatalError):
            raise event.exception
        if isinstance(event, events.NonFatalError):
            problems.append(f"{event.label}: {event.info.format()}")
        if isinstance(event, events.ScenarioFinished):
            requests += len(event.recorder.interactions)
            for checks in event.recorder.checks.values():
                problems.extend(
                    f"{event.label}: {check.name}: {check.failure_info.failure.title}\n"
                    f"  {check.failure_info.failure.message}\n  {check.failure_info.code_sample}"
                    for check in checks
                    if check.status == Status.FAILURE
                )
    return problems, requests


def test_every_api_answer_matches_its_description(app):
    problems, requests = run_schemathesis(app)
    assert not problems, "\n".join(dict.fromkeys(problems))
    assert not app.leaks
    assert requests > 6 * EXAMPLES
