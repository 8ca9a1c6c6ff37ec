"""Vendor the JavaScript and CSS that offline maps inline, from npm, at pinned versions.

Run from the repository root (needs ``npm`` and the npm registry)::

    python scripts/vendor_map_assets.py          # fetch, verify, copy into maps/assets/
    python scripts/vendor_map_assets.py --check  # verify the committed copies only

Each package is fetched with ``npm pack NAME@VERSION`` (the tarball the registry serves,
without running any install script), its SHA-256 checked against the pin below, and only
the few files a map needs are copied, with the package's licence, into ``maps/assets/``.
``maps/assets/MANIFEST.json`` records versions and the SHA-256 of every copied file;
``placemap.maps.assets`` checks them when it inlines an asset.

Leaflet follows folium 0.20's own ``default_js``/``default_css`` (1.9.3);
Leaflet.markercluster (1.5.3, for Leaflet 1.x) clusters the shelling layer. Folium's
other defaults (jQuery, Bootstrap, Font Awesome, Leaflet.awesome-markers) are not vendored:
placemap's maps use CircleMarkers, plain HTML popups and inline SVG, and need none of them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "maps" / "assets"

#: name -> (version, SHA-256 of the npm tarball, {path in tarball: file name in maps/assets})
PACKAGES: dict[str, tuple[str, str, dict[str, str]]] = {
    "leaflet": (
        "1.9.3",
        "10d016716b56048661eaf9cde004dc82e80bd3613b52c4f53cf5aec73088006c",
        {
            "package/dist/leaflet.js": "leaflet.js",
            "package/dist/leaflet.css": "leaflet.css",
            "package/dist/images/layers.png": "images/layers.png",
            "package/dist/images/layers-2x.png": "images/layers-2x.png",
            "package/LICENSE": "LICENSE.leaflet.txt",
        },
    ),
    # Clusters the shelling layer; 1.5.3 is the newest release, peer dependency leaflet ^1.3.1.
    "leaflet.markercluster": (
        "1.5.3",
        "fc6b0b1d00b6c708ae54e43ee4a11ac345e41660e19f0a570190bb35babb1a1c",
        {
            "package/dist/leaflet.markercluster.js": "leaflet.markercluster.js",
            "package/dist/MarkerCluster.css": "MarkerCluster.css",
            "package/dist/MarkerCluster.Default.css": "MarkerCluster.Default.css",
            "package/MIT-LICENCE.txt": "LICENSE.markercluster.txt",
        },
    ),
}


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def npm_pack(name: str, version: str, workdir: Path) -> Path:
    """Download ``name@version`` as the registry's tarball into ``workdir``; return its path."""
    result = subprocess.run(
        ["npm", "pack", "--silent", "--ignore-scripts", f"{name}@{version}"],
        cwd=workdir,
        check=True,
        capture_output=True,
        text=True,
    )
    return workdir / result.stdout.strip().splitlines()[-1]


def vendor(name: str, version: str, pinned: str, files: dict[str, str], workdir: Path) -> dict[str, object]:
    tarball = npm_pack(name, version, workdir)
    actual = sha256(tarball)
    if actual != pinned:
        raise SystemExit(f"{name}@{version}: tarball SHA-256 {actual} does not match the pin {pinned}")
    copied: dict[str, str] = {}
    with tarfile.open(tarball, "r:gz") as archive:
        for member, target in files.items():
            source = archive.extractfile(member)
            if source is None:
                raise SystemExit(f"{name}@{version}: {member} is missing from the tarball")
            destination = ASSETS / target
            destination.parent.mkdir(parents=True, exist_ok=True)
            with destination.open("wb") as out:
                shutil.copyfileobj(source, out)
            copied[target] = sha256(destination)
    return {"version": version, "tarball_sha256": pinned, "files": copied}


def check() -> int:
    manifest = json.loads((ASSETS / "MANIFEST.json").read_text())
    bad = 0
    for name, entry in manifest["packages"].items():
        version, pinned, _ = PACKAGES[name]
        if entry["version"] != version or entry["tarball_sha256"] != pinned:
            print(f"{name}: manifest says {entry['version']}, script pins {version}")
            bad += 1
        for target, digest in entry["files"].items():
            if sha256(ASSETS / target) != digest:
                print(f"{name}: {target} differs from the vendored copy")
                bad += 1
    print("assets OK" if not bad else f"{bad} problem(s)")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify maps/assets/ against its manifest, no download")
    args = parser.parse_args(argv)
    if args.check:
        return check()
    if shutil.which("npm") is None:
        raise SystemExit("npm is needed: apt-get install npm")
    manifest: dict[str, object] = {"generated_by": "scripts/vendor_map_assets.py", "packages": {}}
    with tempfile.TemporaryDirectory() as workdir:
        for name, (version, pinned, files) in PACKAGES.items():
            manifest["packages"][name] = vendor(name, version, pinned, files, Path(workdir))  # type: ignore[index]
            print(f"vendored {name}@{version}")
    (ASSETS / "MANIFEST.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
