"""The Nu Html Checker (the W3C's validator, npm `vnu-jar`) run once over many pages."""

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

VNU_JAR = (
    Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)
INSTALL_HINT = "`make html-checker` installs it (npm ci; `make test` runs it)"


@dataclass(frozen=True)
class CheckedPage:
    """One page as a role saw it in a language."""

    url: str
    role: str
    language: str
    html: str


@dataclass(frozen=True)
class HtmlError:
    page: CheckedPage
    line: int | None
    message: str
    extract: str

    def __str__(self):
        page = self.page
        return (
            f"[{page.role}, {page.language}] {page.url} line {self.line}: {self.message}\n"
            f"    {self.extract.strip()}"
        )


def java_and_checker() -> list[str]:
    """The command that starts the checker; fails with what to install when something is missing."""
    java = shutil.which("java")
    missing = []
    if java is None:
        missing.append("java (Debian: openjdk-17-jre-headless)")
    if not VNU_JAR.exists():
        missing.append(f"{VNU_JAR} ({INSTALL_HINT})")
    if missing:
        raise RuntimeError("The HTML check needs " + " and ".join(missing))
    return [java, "-jar", str(VNU_JAR)]


def check_pages(pages: list[CheckedPage], workdir: Path) -> list[HtmlError]:
    """Write the pages to files and run the checker once over all of them (one JVM start)."""
    by_file = {}
    for number, page in enumerate(pages):
        slug = re.sub(r"[^a-zA-Z0-9]+", "-", page.url).strip("-")[:80] or "home"
        path = workdir / f"{number:04d}-{page.role}-{page.language}-{slug}.html"
        path.write_text(page.html, encoding="utf-8")
        by_file[path.name] = page
    completed = subprocess.run(
        [
            *java_and_checker(),
            "--errors-only",
            "--format",
            "json",
            *sorted(map(str, workdir.glob("*.html"))),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    # The checker writes its report to stderr; it exits 1 when it found errors.
    try:
        report = json.loads(completed.stderr)
    except json.JSONDecodeError as error:
        raise RuntimeError(
            f"The checker did not answer JSON:\n{completed.stderr[:2000]}"
        ) from error
    errors = []
    for message in report["messages"]:
        name = message.get("url", "").rsplit("/", 1)[-1]
        if name not in by_file:
            raise RuntimeError(f"The checker reported on something else: {message}")
        errors.append(
            HtmlError(
                by_file[name],
                message.get("lastLine"),
                f"{message.get('type')}: {message.get('message')}",
                message.get("extract", ""),
            )
        )
    return errors


def report(errors: list[HtmlError], examples: int = 3) -> str:
    """The errors grouped by message, most frequent first, with a few pages that have each."""
    by_message = {}
    for error in errors:
        by_message.setdefault(error.message, []).append(error)
    lines = [f"{len(errors)} HTML errors, {len(by_message)} different:"]
    for message, group in sorted(by_message.items(), key=lambda item: -len(item[1])):
        pages = sorted({f"{e.page.url} [{e.page.role}, {e.page.language}]" for e in group})
        lines.append(f"\n{len(group)}x on {len(pages)} pages: {message}")
        lines += [f"  {error}" for error in group[:examples]]
    return "\n".join(lines)
