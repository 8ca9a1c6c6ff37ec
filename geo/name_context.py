"""What the words around a name say about it: tests shared by the rules and the learned recognizer."""

from __future__ import annotations

from typing import Any

from .recognition_words import KIND_NOUNS, SENTENCE_VERBS

__all__ = ["follows_a_place", "is_subject", "names_a_kind_of_place"]


def names_a_kind_of_place(doc: Any, start: int, end: int) -> bool:
    """The text says what kind of place the name is: "the village of Cellardyke", "the
    island Rügen", "Dogu Beyazit, a farming town" (a kind noun within three words after
    ", a"). Later items of a list ("the villages of Maliuc and Caraorman") are not read:
    "the city of London, Sadiq Khan and ..." goes on with people."""
    if start >= 2 and doc[start - 1].lower_ == "of" and doc[start - 2].text in KIND_NOUNS:
        return True  # lower case: "HDQRS. DISTRICT OF LITTLE ROCK" is a heading
    if start >= 2 and doc[start - 1].text in ("island", "islands"):
        return doc[start - 2].lower_ not in ("a", "an")
    if end + 2 < len(doc) and doc[end].text == "," and doc[end + 1].lower_ in ("a", "an"):
        # The kind noun heads the phrase: "a farming town in", not "a city official" nor "a
        # grouping of 32 cities".
        for index in range(end + 2, min(end + 5, len(doc))):
            if not _is_content_word(doc[index]):
                return False
            if doc[index].text in KIND_NOUNS:
                return index + 1 == len(doc) or not _is_content_word(doc[index + 1])
    return False


def _is_content_word(token: Any) -> bool:
    return token.is_alpha and token.is_lower and not token.is_stop


def is_subject(doc: Any, end: int) -> bool:
    """Whether the word after a sentence-initial name reads as its verb ("Kyiv said")."""
    following = doc[end] if end < len(doc) else None
    if following is None:
        return False
    return following.lower_ in SENTENCE_VERBS or (following.is_lower and following.text.endswith(("s", "ed")))


def follows_a_place(doc: Any, index: int, ends: set[int]) -> bool:
    """ "Melitopol and Tokmak", "Irpin, Bucha", "Belarus-Ukraine": listed after a found place."""
    return index >= 2 and doc[index - 1].text in (",", "and", "or", "-", "–") and index - 1 in ends
