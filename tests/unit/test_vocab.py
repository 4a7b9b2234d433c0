import json
from pathlib import Path

import pytest

from seamline.agents.critic.vocab import ATTRIBUTE_CATEGORIES, extract_mentions, norm, vocabulary

VOCAB_DIR = Path(__file__).resolve().parents[2] / "agents" / "vocab"


def values(text: str) -> list[tuple[str, str]]:
    return [(m.category, m.value) for m in extract_mentions(text)]


def test_every_category_file_is_loaded_and_aliases_are_unique():
    vocab = vocabulary()
    for category in ATTRIBUTE_CATEGORIES:
        assert category in vocab.categories
    seen: dict[str, str] = {}
    for path in VOCAB_DIR.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["category"] in ("garment", "origin"):
            continue
        for value, spec in data["values"].items():
            for alias in [value, *spec.get("aliases", [])]:
                key = norm(alias)
                assert seen.get(key, data["category"]) == data["category"], alias
                seen[key] = data["category"]


def test_parents_name_values_of_the_same_category_or_families():
    vocab = vocabulary()
    for cat in vocab.categories.values():
        for value, spec in cat.values.items():
            for parent in spec.get("parents", []):
                assert parent != value


@pytest.mark.parametrize(
    ("surface", "expected"),
    [
        ("navy", ("colour", "navy blue")),
        ("Navy-Blue", ("colour", "navy blue")),
        ("full sleeves", ("sleeve", "long sleeves")),
        ("long-sleeved", ("sleeve", "long sleeves")),
        ("crew neck", ("neck", "round neck")),
        ("crewneck", ("neck", "round neck")),
        ("V neck", ("neck", "v-neck")),
        ("spandex", ("material", "elastane")),
        ("polka-dots", ("pattern", "polka dots")),
        ("water-repellent", ("feature", "water-resistant")),
        ("OEKO TEX", ("certification", "oeko-tex")),
    ],
)
def test_synonyms_normalise_to_one_value(surface, expected):
    assert values(f"A shirt with {surface} here.")[0] == expected


def test_product_types_normalise_and_are_only_read_on_request():
    assert [m.value for m in extract_mentions("A cotton tee", garments=True) if m.category == "garment"] == [
        "t-shirt"
    ]
    assert all(m.category != "garment" for m in extract_mentions("A cotton tee"))


def test_containment_shades_support_families_not_the_reverse():
    vocab = vocabulary()
    assert vocab.implies("colour", "navy blue", "blue")
    assert not vocab.implies("colour", "blue", "navy blue")
    assert vocab.implies("pattern", "floral", "printed")
    assert vocab.implies("material", "pure cotton", "cotton")
    assert vocab.implies("colour", "sky blue", "light blue")
    assert vocab.related("colour", "light blue", "blue")


def test_colour_modifiers_make_shades():
    assert values("a light blue shirt") == [("colour", "light blue")]
    assert values("a dark navy shirt") == [("colour", "navy blue")]


def test_mentions_carry_offsets_and_surface():
    text = "Soft cotton with full sleeves"
    m = extract_mentions(text)[1]
    assert (m.surface, text[m.start : m.end], m.value) == ("full sleeves", "full sleeves", "long sleeves")


def test_catalog_key_lines_read_values_in_their_category():
    got = values("Fit: Slim\nSeason: Fall\nLength: Regular\nNeck: Round Neck\nFabric: Cotton")
    assert got == [
        ("fit", "slim fit"),
        ("season", "autumn"),
        ("length", "regular length"),
        ("neck", "round neck"),
        ("material", "cotton"),
    ]


def test_fall_is_not_a_season_in_prose():
    assert values("You will fall for this shirt.") == []


def test_negation_marks_mentions_in_its_scope():
    ms = extract_mentions("Do not bleach, wring or tumble dry. Machine wash cold. No pockets.")
    negated = {m.value: m.negated for m in ms}
    assert negated == {
        "bleach": True,
        "wring": True,
        "tumble dry": True,
        "machine wash": False,
        "pockets": True,
    }


def test_negation_scope_stops_at_a_new_clause():
    ms = extract_mentions("For those who never compromise on comfort, this top makes a perfect winter wear.")
    assert [(m.value, m.negated) for m in ms] == [("winter", False)]


def test_sleeve_name_with_no_is_not_a_negation():
    (m,) = extract_mentions("A top with no sleeves.")
    assert (m.value, m.negated) == ("sleeveless", False)


def test_styling_suggestions_are_marked():
    ms = extract_mentions("A red top. Pair it with blue jeans and white sneakers.")
    assert [(m.value, m.styling) for m in ms] == [("red", False), ("blue", True), ("white", True)]


def test_origin_needs_an_introducer_or_a_material():
    assert values("Made in Italy. Egyptian cotton.") == [
        ("origin", "italy"),
        ("origin", "egypt"),
        ("material", "cotton"),
    ]
    assert values("An Italian look and French style.") == []
