"""The rooms of the package and what each may import.

``placemap.maps`` imports value types and the gazetteer only, never spaCy, and lazily;
``placemap.geo`` (text -> places -> events) never imports the application shell; nothing
imports in a circle. The last two are read from the source (every import statement,
module-level or inside a function), so a lazy import cannot hide a cycle.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: Package name -> folder, as pyproject.toml's package-dir maps them.
PACKAGES = {"placemap": "placemap", "placemap.gazetteer": "gazetteer", "placemap.geo": "geo", "placemap.maps": "maps"}
#: Modules of the top package every room may use: they import nothing of placemap's.
SHARED = {"placemap", "placemap.types", "placemap.exc", "placemap.atomic", "placemap.sentences"}


def _modules_after(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint('\\n'.join(sys.modules))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(result.stdout.split())


def test_import_is_light() -> None:
    modules = _modules_after("import placemap.maps")
    assert "folium" not in modules and "geopandas" not in modules and "spacy" not in modules


def test_rendering_never_imports_spacy() -> None:
    code = (
        "from placemap.maps import build_layers, render_map, write_geojson\n"
        "from placemap.maps.examples import ExampleAreas, example_documents\n"
        "render_map(build_layers(example_documents(), gazetteer=ExampleAreas()), title='t').get_root().render()"
    )
    modules = _modules_after(code)
    assert "folium" in modules and not any(m == "spacy" or m.startswith("spacy.") for m in modules)
    assert not any(m.startswith("placemap.geo") for m in modules)


def test_every_public_name_resolves() -> None:
    import placemap.maps as maps

    for name in maps.__all__:
        assert getattr(maps, name) is not None, name
    assert set(maps.__all__) <= set(dir(maps))


def _modules() -> dict[str, Path]:
    modules = {}
    for package, folder in PACKAGES.items():
        for path in (ROOT / folder).glob("*.py"):
            modules[package if path.stem == "__init__" else f"{package}.{path.stem}"] = path
    return modules


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The placemap modules ``name`` imports anywhere in its source."""
    package = name if path.stem == "__init__" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, *([node.module] if node.module else [])])
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in modules:  # "placemap.gazetteer.store.X" -> its module
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def test_the_graph_is_read(graph: dict[str, set[str]]) -> None:
    assert "placemap.geo.recognize" in graph["placemap.geo.pipeline"]
    assert "placemap.docformat" in graph["placemap.documents"]


def test_nothing_imports_in_a_circle(graph: dict[str, set[str]]) -> None:
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        if name in path:
            raise AssertionError("import cycle: " + " -> ".join([*path[path.index(name) :], name]))
        if name in done:
            return
        for other in sorted(graph[name]):
            visit(other, [*path, name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])


@pytest.mark.parametrize(
    ("room", "may_use"),
    [
        ("placemap.gazetteer", {"placemap.gazetteer"}),
        ("placemap.geo", {"placemap.gazetteer", "placemap.geo"}),
        ("placemap.maps", {"placemap.gazetteer", "placemap.maps"}),
    ],
)
def test_each_room_imports_only_what_it_may(graph: dict[str, set[str]], room: str, may_use: set[str]) -> None:
    def allowed(target: str) -> bool:
        return target in SHARED or any(target == r or target.startswith(r + ".") for r in may_use)

    wrong = {
        name: sorted(t for t in targets if not allowed(t)) for name, targets in graph.items() if name.startswith(room)
    }
    assert {name: targets for name, targets in wrong.items() if targets} == {}


def test_shared_modules_import_nothing_of_placemap(graph: dict[str, set[str]]) -> None:
    for name in SHARED - {"placemap"}:
        assert graph[name] <= {"placemap"}, name


def test_readers_and_html_extraction_do_not_import_each_other(graph: dict[str, set[str]]) -> None:
    assert "placemap.documents" not in graph["placemap.html"]


def test_the_command_line_starts_light() -> None:
    modules = _modules_after("import placemap.cli, placemap.docformat, placemap.documents")
    assert not {"spacy", "folium", "geopandas", "numpy", "placemap.geo.pipeline"} & modules
