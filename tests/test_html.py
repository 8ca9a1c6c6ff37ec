"""Article pages: main text, title, date and source, read offline with trafilatura."""

from __future__ import annotations

from functools import partial

import pytest

pytest.importorskip("trafilatura", reason="trafilatura is not installed")

from placemap.batch import run_batch
from placemap.docformat import InputDocument
from placemap.exc import InputFormatError
from placemap.geo.pipeline import GeoparserSettings, build_geoparser
from placemap.html import HtmlDocument, read_html, read_html_files

PAGE = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Talks resume in Brest | Example Wire</title>
<meta property="og:title" content="Talks resume in Brest">
<meta property="og:site_name" content="Example Wire">
<meta property="article:published_time" content="2022-03-29T09:30:00Z">
<link rel="canonical" href="https://wire.example.org/2022/03/talks-brest">
</head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/sport">Sport</a></nav>
<article>
<h1>Talks resume in Brest</h1>
<p>Delegations from Ukraine and Belarus met in Brest on Tuesday for a new round of talks, officials said.
The meeting followed weeks of shelling around Donetsk and a humanitarian corridor from Kherson to Odesa.</p>
<p>Negotiators discussed a ceasefire along the front near Luhansk and the return of refugees who fled west.
A second meeting is planned next week, according to the foreign ministry in Kyiv.</p>
</article>
<footer>Copyright Example Wire. Subscribe to our newsletter for more news from Paris.</footer>
</body></html>
"""


@pytest.fixture()
def page(tmp_path):
    path = tmp_path / "brest.html"
    path.write_text(PAGE, encoding="utf-8")
    return path


def test_main_text_title_date_and_source(page):
    document = read_html(page)
    assert isinstance(document, InputDocument) and isinstance(document, HtmlDocument)
    assert document.id == "brest.html"
    assert document.text.splitlines()[0] == "Talks resume in Brest" == document.title
    assert "humanitarian corridor from Kherson to Odesa" in document.text
    assert "Subscribe" not in document.text and "Sport" not in document.text  # no footer, no menu
    assert document.published == "2022-03-29"
    assert document.source == "Example Wire"
    assert document.url == "https://wire.example.org/2022/03/talks-brest"


def test_bytes_take_the_canonical_url_as_id():
    document = read_html(PAGE.encode("utf-8"))
    assert document.id == "https://wire.example.org/2022/03/talks-brest"
    assert read_html(PAGE.encode("utf-8"), id="wire-1").id == "wire-1"


def test_the_title_is_added_when_the_body_lacks_it():
    html = PAGE.replace("<h1>Talks resume in Brest</h1>", "")
    text = read_html(html.encode("utf-8")).text
    assert text.startswith("Talks resume in Brest\n\nDelegations from Ukraine")


def test_a_page_without_an_article_is_an_input_error(tmp_path):
    with pytest.raises(InputFormatError, match="no article text"):
        read_html(b"<html><body></body></html>")
    with pytest.raises(TypeError):
        read_html(42)


def test_directories_are_read_in_order_and_bad_pages_reported(page, tmp_path):
    (tmp_path / "a-empty.htm").write_text("<html><body></body></html>", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a page", encoding="utf-8")
    errors: list[str] = []
    documents = list(read_html_files([tmp_path], errors))
    assert [d.id for d in documents] == ["brest.html"]
    assert len(errors) == 1 and "a-empty.htm" in errors[0]


def test_pages_feed_the_batch_geoparser(page, tiny_store, tmp_path):
    make = partial(build_geoparser, GeoparserSettings(str(tiny_store), recognizer="gazetteer", events=False))
    output = tmp_path / "out.jsonl"
    errors: list[str] = []
    stats = run_batch(read_html_files([page], errors), output, make_geoparser=make, errors=errors, progress=False)
    assert stats.documents == 1 and not errors
    assert b'"name": "Brest"' in output.read_bytes()
