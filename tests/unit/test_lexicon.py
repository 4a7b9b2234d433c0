"""The lexicon's word lists, forms and shared text rules, as tables."""

from __future__ import annotations

import pytest

from seamline.agents.critic import check
from seamline.agents.critic.claims import extract_claims
from seamline.agents.lexicon import (
    build_index,
    extract_mentions,
    indefinite_article,
    sentence_spans,
    split_sentences,
    vocabulary,
    words,
)
from seamline.agents.lexicon.numbers import find_numbers
from seamline.agents.lexicon.words import list_names
from seamline.results import Evidence

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


@pytest.mark.parametrize(
    ("name", "word"),
    [
        *[("calendar", day) for day in WEEKDAYS],
        ("calendar", "march"),
        ("determiners", "this"),
        ("coordinators", "and"),
        ("prepositions", "with"),
        ("copulas", "is"),
        ("frame_verbs", "crafted"),
        ("finite_verbs", "features"),
        ("generic_heads", "pattern"),
        ("predicative_adjectives", "ideal"),
        ("composition_glue", "pure"),
        ("sentence_openers", "perfect"),
        ("product_references", "garment"),
        ("general_verbs", "keeps"),
    ],
)
def test_word_lists_hold_their_words(name: str, word: str) -> None:
    assert word in words(name)


def test_every_word_list_is_lower_case_and_not_empty() -> None:
    for name in list_names():
        assert words(name) and all(w == w.lower() for w in words(name)), name


def test_an_unknown_word_list_is_an_error() -> None:
    with pytest.raises(KeyError, match="no word list"):
        words("adjectives")


@pytest.mark.parametrize("day", [d.capitalize() for d in WEEKDAYS])
def test_no_day_of_the_week_is_a_brand(day: str) -> None:
    result = check(f"A navy tee, in stores from {day}.", [{"id": "E1", "text": "Colour: Navy Blue"}])
    assert all(c.category != "brand" for c in result.claims + result.removed)


@pytest.mark.parametrize(
    ("category", "value", "form"),
    [
        ("sleeve", "sleeveless", "adjective"),
        ("neck", "strapless", "adjective"),
        ("neck", "off-shoulder", "adjective"),
        ("neck", "one shoulder", "adjective"),
        ("feature", "hood", "noun"),
        ("feature", "pockets", "noun"),
        ("feature", "slits", "noun"),
        ("feature", "uv protection", "noun"),
        ("feature", "waterproof", None),
        ("sleeve", "long sleeves", None),
    ],
)
def test_values_say_their_form(category: str, value: str, form: str | None) -> None:
    assert vocabulary().form(category, value) == form


def test_the_writer_reads_its_word_classes_from_the_forms() -> None:
    vocab = vocabulary()
    assert vocab.values_of_form("sleeve", "adjective") | vocab.values_of_form("neck", "adjective") == {
        "sleeveless",
        "strapless",
        "off-shoulder",
        "one shoulder",
    }
    assert vocab.values_of_form("feature", "noun") == {"hood", "pockets", "slits", "uv protection"}


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("A navy tee. It is cotton.", ["A navy tee.", "It is cotton."]),
        ("Priced at Rs. 999 only. Buy it.", ["Priced at Rs. 999 only.", "Buy it."]),
        ("Soft, e.g. cotton. Nice!", ["Soft, e.g. cotton.", "Nice!"]),
        ("Composition\n100% cotton", ["Composition", "100% cotton"]),
        ("made in the u.s.a. and sold here", ["made in the u.s.a. and sold here"]),
        ("   ", []),
    ],
)
def test_one_sentence_splitter(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences
    spans = sentence_spans(text)
    assert all(a < b for a, b in spans)
    assert all(spans[i][1] == spans[i + 1][0] for i in range(len(spans) - 1))


@pytest.mark.parametrize(
    ("word", "article"),
    [
        ("organic", "an"),
        ("navy", "a"),
        ("uniform", "a"),
        ("hour", "an"),
        ("honest", "an"),
        ("8-panel", "an"),
        ("one-shoulder", "a"),
        ("u-neck", "a"),
        ("European", "a"),
        ("Oxford", "an"),
    ],
)
def test_one_a_an_rule(word: str, article: str) -> None:
    assert indefinite_article(word) == article


@pytest.mark.parametrize(
    ("text", "pairs"),
    [
        ("100% cotton", {("100", "cotton")}),
        ("60% pure organic cotton, 40% polyester", {("60", "cotton"), ("40", "polyester")}),
        ("Cotton 95%, elastane 5%", {("95", "cotton"), ("5", "elastane")}),
        ("Fabric: Cotton - 100%", {("100", "cotton")}),
        ("100% satisfaction with cotton", set()),
    ],
)
def test_one_percentage_material_pairing_for_descriptions_and_evidence(text: str, pairs: set) -> None:
    index = build_index([Evidence(id="E1", text=text)])
    assert {(v, m) for v, m, _ in index.compositions} == pairs
    claims = extract_claims(text, extract_mentions(text), vocabulary())
    assert {(c.number.value, c.material) for c in claims if c.kind == "composition" and c.number} == pairs


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ('Model shoulders 18" wide', [("18", "length")]),
        ("Price Rs. 999", [("999", "currency")]),
        ("Customers love its 2 pockets", [("2", "count:pocket")]),
        ("Someone pockets it", []),
    ],
)
def test_a_currency_or_count_starts_a_word(text: str, found: list[tuple[str, str]]) -> None:
    # "shoulders 18" is a length, not "rs 18" rupees read from inside the word.
    assert [(n.value, n.unit) for n in find_numbers(text)] == found
