"""The test suite keeps its layout (tests/README.md): folders by capability, helpers in support/."""

import ast
import re
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
README = TESTS / "README.md"


def folders_in_readme() -> set[str]:
    """The folders the README's table names."""
    return set(re.findall(r"^\| `(\w+)/` \|", README.read_text(encoding="utf-8"), re.M))


def modules_of_tests() -> list[Path]:
    return sorted(TESTS.rglob("test_*.py"))


def imported_modules(path: Path) -> set[str]:
    """Every module `path` imports, at its top or inside a function."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.add("." * node.level + (node.module or ""))
    return names


def top_level_functions(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}


def test_every_test_module_sits_in_a_folder_the_readme_names():
    folders = folders_in_readme() - {"support"}
    assert {"core", "public", "opendata", "accounts", "ops", "site"} <= folders
    misplaced = [
        str(path.relative_to(TESTS))
        for path in modules_of_tests()
        if path.parent == TESTS or path.relative_to(TESTS).parts[0] not in folders
    ]
    assert misplaced == [], "place these by the rule in tests/README.md"
    assert list((TESTS / "support").glob("test_*.py")) == []


def test_every_folder_is_a_package():
    # Without __init__.py two test files of the same name in two folders would clash.
    for folder in folders_in_readme():
        assert (TESTS / folder / "__init__.py").exists(), folder


def test_no_test_module_imports_another_test_module_or_the_conftest():
    wrong = {
        f"{path.relative_to(TESTS)} imports {name}"
        for path in [*modules_of_tests(), *(TESTS / "support").glob("*.py")]
        for name in imported_modules(path)
        if name.startswith(".")
        or name == "tests.conftest"
        or any(part.startswith("test_") for part in name.split(".")[1:])
    }
    assert wrong == set(), "move what they share into tests/support/"


def test_no_test_module_defines_again_what_support_has():
    shared = {
        name: helper.name
        for helper in (TESTS / "support").glob("*.py")
        for name in top_level_functions(helper)
    }
    again = {
        f"{path.relative_to(TESTS)} defines {name} (tests/support/{shared[name]})"
        for path in modules_of_tests()
        for name in top_level_functions(path) & shared.keys()
    }
    assert again == set()
