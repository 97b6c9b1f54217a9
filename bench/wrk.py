"""Drive one page with wrk for a bounded time and read its summary."""

import json
import math
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

REPORT_SCRIPT = Path(__file__).with_name("report.lua")


@dataclass(frozen=True)
class LoadResult:
    connections: int
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int  # connection errors, timeouts and responses with a status of 400 or more

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def wrk_path() -> str:
    path = shutil.which("wrk")
    if not path:
        raise SystemExit("wrk is not installed: `make bench` installs it (apt-get install wrk).")
    return path


def drive(url: str, *, connections: int, seconds: float, headers: dict[str, str]) -> LoadResult:
    """`connections` connections on one thread for `seconds`; wrk stops by itself."""
    command = [
        wrk_path(),
        "--threads",
        "1",
        "--connections",
        str(connections),
        "--duration",
        f"{math.ceil(seconds)}s",  # wrk takes whole seconds
        "--timeout",
        "60s",  # as long as gunicorn lets a request run
        "--script",
        str(REPORT_SCRIPT),
    ]
    for name, value in headers.items():
        command += ["--header", f"{name}: {value}"]
    finished = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=seconds + 60, check=True
    )
    line = next(
        (line for line in finished.stdout.splitlines() if line.startswith("WRK_JSON ")), None
    )
    if line is None:
        raise RuntimeError(f"wrk printed no summary for {url}:\n{finished.stdout}{finished.stderr}")
    summary = json.loads(line.removeprefix("WRK_JSON "))
    return LoadResult(
        connections=connections,
        requests=summary["requests"],
        seconds=summary["duration_us"] / 1e6,
        p50_ms=summary["p50_us"] / 1000,
        p95_ms=summary["p95_us"] / 1000,
        p99_ms=summary["p99_us"] / 1000,
        errors=sum(
            summary[key]
            for key in ("connect_errors", "read_errors", "write_errors", "non_2xx", "timeouts")
        ),
    )


def version() -> str:
    finished = subprocess.run([wrk_path(), "-v"], capture_output=True, text=True, check=False)
    return (finished.stdout or finished.stderr).splitlines()[0].strip()
