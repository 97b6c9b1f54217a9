"""Check an OC4IDS project package with the standard's own review library, offline.

The Open Contracting Partnership's `libcoveoc4ids` fetches the schema and the codelists by URL;
this machine has no internet, so the copies in tests/standards/oc4ids-0.9.5 (Apache 2.0, Open
Contracting Partnership) are served on a loopback port for the check.
"""

import functools
import http.server
import json
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "standards" / "oc4ids-0.9.5"


@dataclass(frozen=True)
class Review:
    """What the library found: each kind of problem as readable lines."""

    schema_errors: list[str]  # "<message> (at <path>)"
    closed_codelist_values: list[str]  # "<field>: <values outside the closed codelist>"
    additional_checks: list[str]  # check ids: "missing-values", "missing-org-refs", ...
    conformance_checks: list[str]  # "invalid-project-ids"
    open_codelist_values: dict[str, list]  # field -> values outside an open codelist
    additional_fields: set[str]  # fields the schema does not have: "/projects/title_en"

    @property
    def problems(self) -> list[str]:
        """Everything but open codelist values, which the standard allows."""
        return [
            *self.schema_errors,
            *self.closed_codelist_values,
            *self.additional_checks,
            *self.conformance_checks,
        ]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def served(directory: Path) -> Iterator[str]:
    """The folder served on a free loopback port, as "http://127.0.0.1:<port>/"."""
    handler = functools.partial(_Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def review(package: dict) -> Review:
    """The library's review of a project package, against the schema and codelists here."""
    from libcoveoc4ids.api import oc4ids_json_output
    from libcoveoc4ids.config import LibCoveOC4IDSConfig

    with served(SCHEMA_DIR) as host, tempfile.TemporaryDirectory() as output:
        config = LibCoveOC4IDSConfig(
            {
                "schema_host": host,
                "schema_version_choices": {"0.9.5": ("0.9.5", host)},
                "schema_codelists": {"0.9": host + "codelists/"},
            }
        )
        result = oc4ids_json_output(output, json_data=package, lib_cove_oc4ids_config=config)
    return Review(
        schema_errors=[
            f"{json.loads(error)['message']} (at {', '.join(v['path'] for v in values)})"
            for error, values in result.get("validation_errors", [])
        ],
        closed_codelist_values=[
            f"{field}: {info['values']}"
            for field, info in (result.get("additional_closed_codelist_values") or {}).items()
        ],
        additional_checks=[check["check_id"] for check in result.get("additional_checks", [])],
        conformance_checks=[check["check_id"] for check in result.get("conformance_checks", [])],
        open_codelist_values={
            field: info["values"]
            for field, info in (result.get("additional_open_codelist_values") or {}).items()
        },
        additional_fields={f"{path}/{name}" for path, name, _ in result.get("data_only", [])},
    )
