"""Mapping saved geoparse output against mapping the raw texts, with the command line.

    .venv/bin/python benchmarks/map_saved.py [--corpus examples/dispatches] [--limit N] [--repeat 3]

Geoparses the corpus once with ``placemap geoparse -o saved.jsonl`` (not timed), then times,
best of ``--repeat`` runs each, ``placemap map CORPUS`` (geoparses every text again) and
``placemap map saved.jsonl`` (reads the documents back), each writing an offline HTML map and
a GeoJSON file, as a user runs them: a fresh process each time, start-up included. The two
GeoJSON files must hold the same features (exit 1 otherwise). Target: mapping saved output
takes under half the time of mapping the texts.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def placemap(*argv: str) -> float:
    """Run ``placemap argv`` in a fresh interpreter; return the wall-clock seconds."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "placemap.cli", *argv], check=True, capture_output=True)
    return time.perf_counter() - started


def texts_of(corpus: Path, limit: int | None, folder: Path) -> Path:
    """The corpus as JSON lines of texts (the first ``limit`` ones), gold annotations left out."""
    if corpus.is_dir():
        items = [{"id": p.name, "text": p.read_text(encoding="utf-8")} for p in sorted(corpus.glob("*.txt"))]
    else:
        items = []
        for line in corpus.open(encoding="utf-8"):
            doc = json.loads(line)
            items.append({"id": str(doc["id"]), "text": doc["text"], "published": doc.get("published")})
    path = folder / "texts.jsonl"
    path.write_text("".join(json.dumps(item) + "\n" for item in items[:limit]), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "examples" / "dispatches", help="directory or JSONL")
    parser.add_argument("--limit", type=int, help="only the first N documents")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        texts = texts_of(args.corpus, args.limit, folder)
        saved = folder / "saved.jsonl"
        placemap("geoparse", str(texts), "-o", str(saved))
        documents = sum(1 for _ in saved.open(encoding="utf-8"))
        times, features = {}, {}
        for label, source in (("texts", texts), ("saved", saved)):
            geojson = folder / f"{label}.geojson"
            argv = ["map", str(source), "--offline", "-o", str(folder / f"{label}.html"), "--geojson", str(geojson)]
            times[label] = min(placemap(*argv) for _ in range(args.repeat))
            features[label] = json.loads(geojson.read_text(encoding="utf-8"))["features"]
    same = features["texts"] == features["saved"]
    ratio = times["saved"] / times["texts"]
    print(f"{documents} documents from {args.corpus} (best of {args.repeat}, a fresh process each run)")
    print(f"placemap map texts        {times['texts']:7.2f} s   {len(features['texts'])} features")
    print(f"placemap map saved.jsonl  {times['saved']:7.2f} s   {len(features['saved'])} features")
    print(f"saved / texts: {ratio:.2f} (target < 0.5); same features drawn: {'yes' if same else 'NO'}")
    return 0 if same and ratio < 0.5 else 1


if __name__ == "__main__":
    sys.exit(main())
