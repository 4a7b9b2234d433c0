import json
from pathlib import Path

import pytest

from seamline.agents.lexicon import ATTRIBUTE_CATEGORIES, extract_mentions, norm, vocabulary

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


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Knit or Woven: Woven", [("material", "woven")]),  # a key of alternatives asserts neither
        ("Print or Pattern Type: Solid", [("pattern", "solid")]),
        ("Lining Fabric: Unlined", [("feature", "unlined")]),  # the value is more precise than the key
        ("Hood: No", []),  # the value says it is absent
        ("Number of Pockets: 0", []),
        ("Number of Pockets: 2", [("feature", "pockets")]),  # the key alone says what there is
        ("Collar: Spread Collar", [("collar", "spread collar")]),
        ("Cotton: 100%", [("material", "cotton")]),  # not a category key: its words are read
    ],
)
def test_category_keys_assert_their_words_only_where_the_value_does_not_say_otherwise(line, expected):
    assert values(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Fastening: Buckle", ("closure", "buckle")),
        ("Material: PU", ("material", "faux leather")),
        ("Fabric: Microfiber", ("material", "microfibre")),
        ("Material: PVC", ("material", "pvc")),
    ],
)
def test_catalog_values_found_missing_in_the_dataset_are_read(line, expected):
    assert values(line) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dress it up or down.", []),
        ("Wind down in style.", []),
        ("Down the front runs a placket.", []),
        ("A down jacket", [("material", "down")]),
        ("Filled with duck down", [("material", "down")]),
        ("Filled with soft down", [("material", "down")]),
        ("90% down, 10% feather", [("material", "down")]),
        ("Fabric: Down", [("material", "down")]),
    ],
)
def test_down_is_a_material_only_in_its_context(text, expected):
    assert values(text) == expected


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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A positive instruction after a comma ends the prohibition...
        ("Do not tumble dry, line dry in shade.", [("tumble dry", True), ("line dry", False)]),
        ("Do not bleach, dry flat", [("bleach", True), ("dry flat", False)]),
        # ... unless the list goes on with "or".
        (
            "Do not machine wash, tumble dry, wring or line dry",
            [(v, True) for v in ("machine wash", "tumble dry", "wring", "line dry")],
        ),
        # Run-on catalog text: a capital after lower-case words starts a new sentence.
        (
            "Do not soak, bleach or tumble dry Dry in shade",
            [("bleach", True), ("tumble dry", True), ("dry in shade", False)],
        ),
        ("Do not tumble dry Use warm iron", [("tumble dry", True), ("iron", False)]),
        # ... but not after a word that needs what follows.
        ("Do not iron directly on Print", [("iron", True), ("printed", True)]),
        # Title case is not a run-on.
        ("Do Not Bleach, Tumble Dry Or Iron", [("bleach", True), ("tumble dry", True), ("iron", True)]),
        ("Do not wring, bleach, iron", [("wring", True), ("bleach", True), ("iron", True)]),
    ],
)
def test_care_prohibitions_end_where_the_instructions_turn_positive(text, expected):
    assert [(m.value, m.negated) for m in extract_mentions(text)] == expected


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
