"""Check the app code's layout rules (docs/architecture.md) and print what breaks them.

Run with `.venv/bin/python scripts/check_layout.py`; it exits 1 when a rule is broken. It reads
the source only (no Django): every import, at the top of a module or inside a function, is an
edge from the importing module to the imported one.

- A face (public, changes, opendata, dashboards) and the demo data never import one another.
- No import runs upwards: ops < core (funding's own modules, accounts) < figures < faces < top
  (the URL maps, settings, management commands).
- No circle of imports, except among the models (contributions and payments need each other).
- No module is over 400 lines.
"""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("aifabriek", "funding", "accounts")
MAX_LINES = 400
FACES = ("public", "changes", "opendata", "dashboards", "demo")
TOP = (
    "aifabriek.urls",
    "aifabriek.settings",
    "aifabriek.wsgi",
    "aifabriek.asgi",
    "funding.urls",
    "funding.api_urls",
)
LAYERS = ("ops", "core", "figures", "face", "top")
# The one circle allowed: models that refer to each other.
CIRCLE_ALLOWED = "funding.models."


def module_files() -> dict[str, Path]:
    """Every app module by dotted name; migrations are Django's and are left out."""
    found = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts:
                continue
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The app modules this module imports (`from package import module` names the module)."""
    package = name if _is_package(path) else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            named = {f"{base}.{alias.name}" for alias in node.names}
            found.update(named & modules.keys())
            if named - modules.keys():  # names defined in `base` itself
                found.add(base)
    return {target for target in found if target in modules and target != name}


def layer(name: str) -> str:
    parts = name.split(".")
    if name in TOP or name.startswith("funding.management"):
        return "top"
    if parts[:2] == ["aifabriek", "ops"] or name == "aifabriek.env":
        return "ops"
    if parts[0] == "funding" and len(parts) > 1 and parts[1] == "figures":
        return "figures"
    if parts[0] == "funding" and len(parts) > 1 and parts[1] in FACES:
        return "face"
    return "core"


def face(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if layer(name) == "face" else None


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def check() -> dict[str, list[str]]:
    """What breaks each rule, by rule; empty lists when the layout holds."""
    modules = module_files()
    graph = {name: imports_of(name, path, modules) for name, path in modules.items()}
    sideways, upward = [], []
    for source, targets in sorted(graph.items()):
        for target in sorted(targets):
            if face(source) and face(target) and face(source) != face(target):
                sideways.append(f"{source} -> {target}")
            elif LAYERS.index(layer(target)) > LAYERS.index(layer(source)):
                upward.append(f"{source} ({layer(source)}) -> {target} ({layer(target)})")
    components = circles(graph)
    allowed = [c for c in components if all(m.startswith(CIRCLE_ALLOWED) for m in c)]
    long_modules = [
        f"{name}: {lines} lines"
        for name, path in modules.items()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    ]
    return {
        "face-to-face imports": sideways,
        "upward imports": upward,
        "circles (other than the models')": [
            " <-> ".join(c) for c in components if c not in allowed
        ],
        f"modules over {MAX_LINES} lines": long_modules,
        "models' circles (allowed)": [" <-> ".join(c) for c in allowed],
    }


def main() -> int:
    broken = False
    for rule, findings in check().items():
        print(f"{rule}: {len(findings)}")
        for finding in findings:
            print(f"  {finding}")
        broken = broken or (bool(findings) and "allowed" not in rule)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
