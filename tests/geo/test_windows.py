import re
from itertools import pairwise
from pathlib import Path

from placemap.geo.windows import MAX_WINDOW, RADIUS, name_windows, windowed_ner

DISPATCHES = Path(__file__).resolve().parents[2] / "examples" / "dispatches"


NAME_LABELS = {"GPE", "LOC", "FAC", "PERSON", "ORG", "NORP"}


def entities(doc):
    """Capitalised names: what the windows promise to keep (a lowercase "metro" the model
    may call a FAC far from any name is not)."""
    return [
        (ent.start_char, ent.end_char, ent.label_)
        for ent in doc.ents
        if ent.label_ in NAME_LABELS and ent.text[:1].isupper()
    ]


def test_windows_surround_capitalised_words_and_skip_lowercase_prose(nlp):
    filler = " ".join(["the"] + ["quiet"] * 30)
    doc = nlp.make_doc(f"{filler} road to Kherson was {filler} again.")
    windows = name_windows(doc)
    kherson = next(token.i for token in doc if token.text == "Kherson")
    assert windows == [(kherson - RADIUS, kherson + RADIUS + 1)]


def test_a_common_word_opening_a_sentence_is_no_anchor_but_an_acronym_is(nlp):
    assert name_windows(nlp.make_doc("The rain fell all night long and the river rose.")) == []
    assert name_windows(nlp.make_doc("US troops left.")) != []
    assert name_windows(nlp.make_doc("we met the U.S. envoy")) != []


def test_overlapping_windows_merge(nlp):
    doc = nlp.make_doc("Kyiv and Kharkiv and Odesa")
    assert name_windows(doc) == [(0, len(doc))]


def test_windowed_ner_finds_the_same_entities_as_the_whole_text(nlp):
    texts = [path.read_text(encoding="utf-8") for path in sorted(DISPATCHES.glob("*.txt"))]
    # The tokenizer's norms matter: "Ga." reads as Georgia, "Wash." as Washington.
    texts.append("The Walker County (Ga.) sheriff asked for help. CAMP MURRAY, Wash. - Troops left.")
    whole = [entities(doc) for doc in nlp.pipe(texts)]
    windowed = [entities(doc) for doc in windowed_ner(nlp, texts, batch_size=4)]
    assert windowed == whole
    assert sum(map(len, whole)) > 50


def test_windowed_ner_keeps_order_and_handles_empty_texts(nlp):
    docs = list(windowed_ner(nlp, ["", "nothing here at all", "Shelling hit Kharkiv."]))
    assert [doc.text for doc in docs] == ["", "nothing here at all", "Shelling hit Kharkiv."]
    assert docs[0].ents == () and docs[1].ents == ()
    assert [ent.text for ent in docs[2].ents] == ["Kharkiv"]


def test_a_name_dense_long_text_is_cut_into_pieces_at_sentence_ends(nlp):
    doc = nlp.make_doc("Shelling hit Kharkiv overnight, officials in Kyiv said. " * 100)
    windows = name_windows(doc)
    assert windows[0][0] == 0 and windows[-1][1] == len(doc)
    assert all(end - start <= MAX_WINDOW for start, end in windows)
    assert all(doc[start - 1].text == "." for start, _ in windows[1:])
    assert all(a_end == b_start for (_, a_end), (b_start, _) in pairwise(windows))


def test_bounded_spans_cut_long_sentences_at_spaces_and_keep_offsets() -> None:
    from placemap.geo.windows import bounded_spans

    text = "Intro. " + "shelling hit Kyiv and New York overnight, " * 200 + "End."
    names = [(m.start(), m.end()) for m in re.finditer(r"New York|Kyiv", text)]
    spans = [(0, 6), (7, len(text))]
    pieces = bounded_spans(text, spans, limit=100, keep_whole=names)
    assert pieces[0] == (0, 6) and all(0 <= s < e <= len(text) and e - s <= 100 for s, e in pieces)
    assert "".join(text[s:e] for s, e in pieces).replace(" ", "") == text.replace(" ", "")  # nothing lost
    cuts = [e for _, e in pieces[1:-1]]
    assert all(cut == len(text) or not text[cut].isalnum() or cut in dict(names) for cut in cuts)  # no word cut
    assert not [cut for cut in cuts for s, e in names if s < cut < e]  # no place name cut in two


def test_bounded_spans_cut_a_text_without_spaces_at_the_limit() -> None:
    from placemap.geo.windows import bounded_spans

    assert bounded_spans("x" * 25, [(0, 25)], limit=10) == [(0, 10), (10, 20), (20, 25)]


def test_bounded_spans_take_linear_time() -> None:
    import time

    from placemap.geo.windows import MAX_PARSE_CHARS, bounded_spans

    text = ("Shelling hit Kyiv and Kharkiv overnight, " * 130_000)[:5_000_000]  # one 5 MB "sentence"
    started = time.perf_counter()
    pieces = bounded_spans(text, [(0, len(text))])
    assert time.perf_counter() - started < 5.0
    assert max(e - s for s, e in pieces) <= MAX_PARSE_CHARS and pieces[-1][1] == len(text.rstrip())
