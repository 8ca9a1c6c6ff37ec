"""Article pages as geoparser inputs: main text, title, date and source, offline.

``trafilatura`` separates the article from menus, comments and footers and reads the
page's metadata (``<meta>``, JSON-LD, ``<time>``); nothing is fetched. The title becomes
the first line of the text, so datelines and headline places are geoparsed with the rest.

>>> document = read_html(Path("page.html"))  # doctest: +SKIP
>>> document.text.splitlines()[0], document.published, document.source  # doctest: +SKIP
('Talks resume in Istanbul', '2022-03-29', 'Example Wire')
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from placemap.docformat import MAX_TEXT_CHARS, InputDocument
from placemap.exc import InputFormatError

__all__ = ["HTML_SUFFIXES", "HtmlDocument", "read_html", "read_html_files"]

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
#: Pages larger than this are refused rather than parsed (trafilatura's own download limit).
MAX_HTML_BYTES = 20_000_000


@dataclass(frozen=True, slots=True)
class HtmlDocument(InputDocument):
    """An ``InputDocument`` read from an article page, with the page's metadata.

    Attributes
    ----------
    title : str | None
        The headline (also the first line of ``text``).
    source : str | None
        The site name, else the host name, else the URL.
    url : str | None
        The page's canonical URL, when it gives one.
    """

    title: str | None = None
    source: str | None = None
    url: str | None = None


def read_html(page: str | os.PathLike[str] | bytes, *, id: str | None = None, url: str | None = None) -> HtmlDocument:
    """Extract the article of one HTML page.

    Parameters
    ----------
    page : str | PathLike | bytes
        A file path, or the page's bytes (a ``str`` is a path).
    id : str | None
        The document id; default the file name, else the page's URL, else a hash of the bytes.
    url : str | None
        Where the page came from, when known (helps the metadata).

    Returns
    -------
    HtmlDocument
        Text = title, a blank line, then the main text; ``published`` is the page's date (``YYYY-MM-DD``) or
        ``None``.

    Raises
    ------
    InputFormatError
        The page is too large or has no article text.
    """
    label = "<html>"
    if isinstance(page, bytes | bytearray):
        data = bytes(page)
    elif isinstance(page, str | os.PathLike):
        path = Path(page)
        label = str(path)
        data = path.read_bytes()
        id = id if id is not None else path.name
    else:
        raise TypeError(f"expected a path or bytes, got {type(page).__name__}")
    if len(data) > MAX_HTML_BYTES:
        raise InputFormatError(f"{len(data):,} bytes is over the {MAX_HTML_BYTES:,} byte limit", path=label)
    article = _extract(data, url)
    if article is None or not (article.text or "").strip():
        raise InputFormatError("no article text found in the page", path=label)
    title = _clean(article.title)
    text = article.text.strip()
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"
    if len(text) > MAX_TEXT_CHARS:
        raise InputFormatError(f"text over the {MAX_TEXT_CHARS:,} character limit", path=label)
    page_url = _clean(article.url) or url
    if id is None:
        id = page_url or hashlib.sha1(data).hexdigest()[:12]
    return HtmlDocument(
        id=id,
        text=text,
        published=_clean(article.date),
        title=title,
        source=_clean(article.sitename) or _clean(article.hostname) or page_url,
        url=page_url,
    )


def read_html_files(paths: Iterable[str | os.PathLike[str]], errors: list[str]) -> Iterator[HtmlDocument]:
    """Yield the articles of HTML files and of directories of them, in order (``read_inputs`` style).

    Directories are searched recursively for ``HTML_SUFFIXES``, sorted, and ids are paths
    relative to the directory. A page that cannot be read is appended to ``errors`` and skipped.
    """
    for entry in paths:
        source = Path(entry)
        if source.is_dir():
            files = sorted(p for p in source.rglob("*") if p.suffix.lower() in HTML_SUFFIXES and p.is_file())
            named = [(path, str(path.relative_to(source))) for path in files]
        else:
            named = [(source, source.name)]
        for path, name in named:
            try:
                yield read_html(path, id=name)
            except InputFormatError as err:
                errors.append(str(err))
            except OSError as err:
                errors.append(f"{path}: {err.strerror or err}")


def _extract(data: bytes, url: str | None):
    import trafilatura

    return trafilatura.bare_extraction(
        data,
        url=url,
        with_metadata=True,
        include_comments=False,
        # Dates from the page's metadata and markup only, not guessed from its prose.
        date_extraction_params={"original_date": True, "extensive_search": False},
    )


def _clean(value: str | None) -> str | None:
    value = " ".join(value.split()) if value else None
    return value or None
