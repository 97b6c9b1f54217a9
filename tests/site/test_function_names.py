"""One name per function: two functions of the same name in the app read as one rule.

Classes may share a name with what they describe (a model and its document class).
"""

import ast
from collections import defaultdict
from pathlib import Path

APP = Path(__file__).resolve().parents[2]
# Names that repeat on purpose or that are still to be renamed, each with its modules. A new
# repeat fails the test; remove a line when its pair is renamed.
ALLOWED = {
    "connect": "each module's signal receivers",
    "in_language": "a template filter named as the function it calls",
    "original": "a template filter named as the function it calls",
    "translated": "a template filter named as the function it calls",
    "money": "a template filter named as the function it calls",
    "_cents": "to rename",
    "_status_entry": "to rename",
    "badge": "the view and the SVG it serves",
    "contribution_totals": "to rename: admin and figures",
    "dashboard_access": "the context processor and the view's check",
    "funding_by_funder": "the builder and its chart",
    "funds_over_time": "the figures and their chart",
    "not_found": "to rename: the API's and the error page's",
    "programme": "to rename: a dashboard view and a demo record",
    "programme_detail": "the public page and its API document",
    "verify": "to rename: two-factor and backup",
}


def top_level_names() -> dict[str, list[str]]:
    names = defaultdict(list)
    for folder in ("funding", "accounts", "aifabriek"):
        for path in sorted((APP / folder).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.parse(path.read_text()).body:
                if isinstance(node, ast.FunctionDef):
                    names[node.name].append(str(path.relative_to(APP)))
    return names


def test_no_two_app_modules_define_a_function_of_the_same_name():
    repeated = {
        name: modules
        for name, modules in top_level_names().items()
        if len(modules) > 1 and name not in ALLOWED
    }
    assert repeated == {}
