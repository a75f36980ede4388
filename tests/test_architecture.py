"""The layers stay apart: read from each module's imports, not from a list kept by hand.

amma/ is the core and knows nothing of Rasa or of the packages built on it;
actions/ holds thin rasa_sdk adapters, none of which imports another (what two
share belongs in amma); the NLU components and the diagram server build on
amma alone.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path, root: Path = ROOT) -> Iterator[str]:
    """Every module a file imports, with relative imports made absolute."""
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
                # "from . import x" imports the sibling module x.
                yield from ([module] if node.module else (f"{module}.{alias.name}" for alias in node.names))
            else:
                yield node.module or ""


def top(module: str) -> str:
    return module.split(".")[0]


def imports_of(folder: str) -> dict[str, list[str]]:
    files = sorted((ROOT / folder).glob("*.py"))
    assert files, folder
    return {str(path.relative_to(ROOT)): list(imported_modules(path)) for path in files}


def test_the_reader_sees_relative_and_absolute_imports(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    module = package / "mod.py"
    module.write_text(
        "import os\nfrom rasa_sdk import Action\nfrom . import sibling\nfrom .other import x\nfrom pkg.third import y\n"
    )
    assert list(imported_modules(module, tmp_path)) == ["os", "rasa_sdk", "pkg.sibling", "pkg.other", "pkg.third"]


def test_no_action_module_imports_another():
    for path, modules in imports_of("actions").items():
        siblings = [m for m in modules if top(m) == "actions"]
        assert not siblings, f"{path} imports {siblings}: move what they share into amma/"


@pytest.mark.parametrize(
    "folder, forbidden",
    [
        ("amma", {"rasa", "rasa_sdk", "actions", "nlu_components", "web"}),
        ("nlu_components", {"actions", "rasa_sdk", "web"}),
        ("web", {"rasa", "rasa_sdk", "actions", "nlu_components"}),
    ],
)
def test_each_layer_builds_only_on_what_is_below_it(folder, forbidden):
    for path, modules in imports_of(folder).items():
        wrong = [m for m in modules if top(m) in forbidden]
        assert not wrong, f"{path} imports {wrong}"
