"""``placemap eval`` on gold with events: precision, recall and what each --min-score keeps."""

import json

from placemap.cli import main
from placemap.docformat import document_to_json
from placemap.types import Document, Event, Mention, Place, Toponym

KYIV = Place(703448, "Kyiv", 50.45466, 30.5238, "P", "PPLC", "UA", population=2_952_301)
ODESA = Place(698740, "Odesa", 46.48572, 30.74383, "P", "PPLA", "UA", population=1_015_826)
TEXT = "Missiles hit Kyiv on Monday. Talks opened in Odesa on Tuesday."
GOLD_TOPONYMS = [
    {"start": 13, "end": 17, "text": "Kyiv", "geonameid": 703448, "lat": 50.45466, "lon": 30.5238,
     "country_code": "UA", "feature_code": "PPLC"},
    {"start": 45, "end": 50, "text": "Odesa", "geonameid": 698740, "lat": 46.48572, "lon": 30.74383,
     "country_code": "UA", "feature_code": "PPLA"},
]  # fmt: skip


def _event(event_id, category, location, score, quote):
    return Event(
        event_id, "d1", category, "reported", "2022-03-07", 1, 1, *quote, location=location, score=score,
        lat=(KYIV, ODESA)[location].lat, lon=(KYIV, ODESA)[location].lon,
    )  # fmt: skip


def test_eval_scores_saved_events_and_what_min_score_keeps(tmp_path, tiny_store, capsys):
    gold_events = [
        {"category": "shelling", "status": "reported", "date": "2022-03-07", "time_precision": 1, "location": 0,
         "origin": None, "destination": None, "areas": [], "quote_start": 0, "quote_end": 28},
        {"category": "talks", "status": "reported", "date": "2022-03-08", "time_precision": 1, "location": 1,
         "origin": None, "destination": None, "areas": [], "quote_start": 29, "quote_end": len(TEXT)},
    ]  # fmt: skip
    gold = {"id": "d1", "corpus": "dispatches", "published": "2022-03-07", "text": TEXT,
            "toponyms": GOLD_TOPONYMS, "events": gold_events}  # fmt: skip
    toponyms = (Toponym(Mention(13, 17, "Kyiv"), KYIV, 0.9), Toponym(Mention(45, 50, "Odesa"), ODESA, 0.9))
    # Right: shelling at Kyiv (sure). Wrong category: shelling at Odesa (unsure). Missed: the talks.
    events = (_event("a", "shelling", 0, 0.9, (0, 28)), _event("b", "shelling", 1, 0.3, (29, len(TEXT))))
    system = document_to_json(Document("d1", TEXT, "2022-03-07", toponyms=toponyms, events=events))
    (tmp_path / "gold.jsonl").write_text(json.dumps(gold) + "\n", encoding="utf-8")
    (tmp_path / "out.jsonl").write_text(json.dumps(system) + "\n", encoding="utf-8")
    argv = ["eval", str(tmp_path / "gold.jsonl"), "--system", str(tmp_path / "out.jsonl"), "--json"]
    assert main([*argv, "--gazetteer", str(tiny_store)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["events"]["gold"] == 2 and report["events"]["predicted"] == 2 and report["events"]["matched"] == 1
    assert report["events"]["precision"] == 0.5 and report["events"]["recall"] == 0.5
    assert report["events_by_score"]["score >= 0.5"]["precision"] == 1.0
    assert report["events_by_score"]["score >= 0.5"]["predicted"] == 1
