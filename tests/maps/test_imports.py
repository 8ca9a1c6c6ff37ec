"""``placemap.maps`` imports value types and the gazetteer only, never spaCy, and lazily."""

from __future__ import annotations

import subprocess
import sys


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
