"""Cuts chosen on the parse: the smallest unit that leaves a grammatical sentence, named in the ledger."""

from __future__ import annotations

import pytest

from seamline.agents.critic import check
from seamline.agents.critic.parse import parse
from seamline.agents.critic.verify import parse_problems
from seamline.results import Evidence

SHIRT = Evidence(
    id="R",
    source="catalog",
    text=(
        "Colour: Navy Blue\nFabric: Cotton\nSleeve Length: Long Sleeves\nCollar: Spread Collar\n"
        "Pattern: Checked\nFit: Slim Fit\nNumber of Pockets: 2 chest pockets"
    ),
)
TEE = Evidence(
    id="R",
    source="catalog",
    text="Colour: Grey\nPattern: Solid\nSleeve Length: Short Sleeves\nFit: Regular Fit",
)

# The issue's table: copywriter sentences, each with the product's own record as evidence.
ROWS = [
    (
        "This navy shirt is made of linen and is waterproof.",
        SHIRT,
        "This navy shirt.",
        {"linen": "predicate", "waterproof": "predicate"},
    ),
    (
        "Crafted from breathable linen, this navy checked shirt has long sleeves and a spread collar.",
        SHIRT,
        "This navy checked shirt has long sleeves and a spread collar.",
        {"breathable": "phrase", "linen": "phrase"},
    ),
    (
        "The navy blue shirt is slim fit, has long sleeves and is wrinkle-free, so you can wear it all day.",
        SHIRT,
        "The navy blue shirt is slim fit and has long sleeves, so you can wear it all day.",
        {"wrinkle-free": "predicate"},
    ),
    (
        "This navy shirt has long sleeves and it is made of pure linen that keeps you cool.",
        SHIRT,
        "This navy shirt has long sleeves.",
        {"linen": "clause"},
    ),
    (
        "Made in Portugal from cotton, the shirt features two chest pockets.",
        SHIRT,
        "Made from cotton, the shirt features two chest pockets.",
        {"portugal": "phrase"},
    ),
    (
        "This solid grey T-shirt has long sleeves and a slim fit.",
        TEE,
        "This solid grey T-shirt.",
        {"long sleeves": "predicate", "slim fit": "conjunct"},
    ),
]


@pytest.mark.parametrize(("text", "record", "expected", "cuts"), ROWS)
def test_each_row_of_the_issue_keeps_the_supported_words(text, record, expected, cuts) -> None:
    result = check(text, [record])
    assert result.description == expected
    assert {c.value: c.cut for c in result.removed} == cuts
    assert all(c.text in expected for c in result.claims)
    assert not parse_problems(parse(expected))
    assert check(expected, [record]).removed == []


def test_a_claim_inside_a_token_the_parser_merged_is_still_cut() -> None:
    # spaCy reads "Red,green" as one token; the claim on "green" must still find its place (it raised).
    kurta = Evidence(id="R", source="catalog", text="Colour: Red\nFabric: Cotton\nArticle type: Kurtas")
    result = check("Red,green and gold printed kurta made of cotton.", [kurta], product="Red Printed Kurta")
    assert {c.text for c in result.removed} >= {"green", "gold"}
    assert "green" not in result.description and "gold" not in result.description


def test_a_colour_coordinated_before_the_noun_goes_without_the_noun() -> None:
    # The parser puts "check shirt" inside the last colour's conjunct; cutting that conjunct whole would
    # leave "Green made of cotton", an adjective with no noun.
    record = "Colour: Green\nPattern: Checked\nFabric: Cotton\nCollar: Spread Collar"
    shirt = Evidence(id="R", source="catalog", text=record)
    text = "Red, green and light yellow check shirt made of 100% cotton, has a tipped collar."
    result = check(text, [shirt], product="Wrangler Men Check Shirt")
    assert result.description.startswith("Green check shirt made of cotton")
    assert {c.value: c.cut for c in result.removed if c.category == "colour"} == {
        "red": "modifier",
        "light yellow": "modifier",
    }


def test_an_adjective_the_parser_read_as_a_verb_goes_alone() -> None:
    # The parser reads "checked" as the verb and "shirt" as its object; without "stretchable" it reads
    # "checked shirt" as a noun phrase, the same words in a new parse, not a word taken over.
    record = "Colour: White\nSecondary colours: Black\nPattern: Checked\nFabric: Cotton\n"
    record += "Sleeve Length: Short Sleeves"
    shirt = Evidence(id="R", source="catalog", text=record)
    text = "White and Black checked stretchable shirt made of 100% cotton, has short sleeves."
    result = check(text, [shirt], product="Scullers Men Checked Shirt")
    assert result.description == "White and Black checked shirt made of cotton, has short sleeves."
    assert ("stretchable", "modifier") in [(c.text, c.cut) for c in result.removed]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "This navy shirt has long sleeves and comes in various sizes and colours.",
            "This navy shirt has long sleeves.",
        ),
        (
            "This navy shirt has long sleeves and is available in a range of colours.",
            "This navy shirt has long sleeves.",
        ),
        ("The colours of this checked shirt stay bright.", "The colours of this checked shirt stay bright."),
        ("This checked shirt is available in navy blue.", "This checked shirt is available in navy blue."),
    ],
)
def test_a_record_of_one_product_states_no_other_variants(text, expected) -> None:
    # One record, one colour: "comes in various colours" claims others, and "a range" goes with "of".
    result = check(text, [SHIRT], product="Turtle Check Men Navy Blue Shirt")
    assert result.description == expected


def test_a_preposition_keeps_no_word_taken_from_another_phrase() -> None:
    # "made" hung on "accents" in the parse; cutting "light blue accents" left "with made of cotton",
    # where "with" took the participle as its object. Catalog style has no subject for "has", so the
    # preposition is checked even where the rest of the old parse is not trusted.
    record = "Colour: Black\nFabric: Cotton\nCollar: Tipped Collar\nPattern: Checked"
    shirt = Evidence(id="R", source="catalog", text=record)
    text = "Black and grey check shirt with light blue accents, made of 100% cotton, has a tipped collar."
    result = check(text, [shirt], product="Arrow Men Black Check Shirt")
    assert result.description == "Black check shirt made of cotton, has a tipped collar."


def test_a_noun_phrase_that_named_a_product_is_not_cut_to_one_that_names_none() -> None:
    # A tuned draft of a dress: without "and sleeve denims" (a contradicted type), "Red round neck." is
    # left, a caption of a neckline; the sentence goes, and the writer's sentence names the dress.
    record = "Colour: Red\nNeck: Round Neck\nSleeve Length: Sleeveless\nFabric: Cotton\nArticle type: Dresses"
    dress = Evidence(id="R", source="catalog", text=record)
    result = check("Red round neck and sleeve denims, has a collar.", [dress], product="Elle Women Red Dress")
    assert result.description == ""
    assert check("Red round neck dress, has a collar.", [dress]).description == "Red round neck dress."


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        ("Sleeve Length: Sleeveless", "White dress has a boat neck."),
        ("Sleeve Length: Long Sleeves", "White dress has a boat neck and sleeves."),
        ("Pattern: Solid", "White dress has a boat neck and sleeves."),
    ],
)
def test_sleeves_alone_are_judged_where_the_evidence_states_the_sleeves(record, expected) -> None:
    # The shipped drafter wrote "has a boat neck and sleeves" for a sleeveless dress; the writer then
    # added "It is a solid sleeveless dress". Where nothing states the sleeves, "sleeves" claims nothing.
    dress = Evidence(id="R", source="catalog", text=f"Colour: White\nNeck: Boat Neck\n{record}")
    result = check("White dress has a boat neck and sleeves.", [dress], product="Doodle Girls White Dress")
    assert result.description == expected


def test_origin_after_styling_advice_is_still_a_claim() -> None:
    # "your style with this shirt" names the product, not what goes with it; a participle after a comma
    # ("..., made in France") speaks of the product again after advice.
    for text in (
        "Flaunt your style with this checked shirt, made in France.",
        "Team it with slim fit denims, while the cotton keeps you cool, made in Japan.",
    ):
        result = check(text, [SHIRT], product="Wrangler Men Checked Shirt")
        assert {c.category for c in result.removed} == {"origin"}, result.removed


def test_the_key_of_a_sleeves_line_is_no_claim() -> None:
    vest = Evidence(id="R", source="catalog", text="Colour: White\nSleeve Length: Sleeveless")
    assert check("A white vest.\n- Sleeves: sleeveless", [vest]).removed == []


POLO = Evidence(id="R", source="catalog", text="Fabric: Polyester\nColour: Blue\nNeck: Polo Collar")
FRAMED = [
    # A participle framing the phrase ("made") keeps no complement once it goes: the predicate goes.
    ("This blue t-shirt is made of linen and has a polo collar.", "This blue t-shirt has a polo collar."),
    ("This blue t-shirt is crafted from silk and has a polo collar.", "This blue t-shirt has a polo collar."),
    # With another complement left ("from polyester"), the phrase alone is the cut.
    (
        "Made in Portugal from polyester, this blue t-shirt has a polo collar.",
        "Made from polyester, this blue t-shirt has a polo collar.",
    ),
]


@pytest.mark.parametrize(("text", "expected"), FRAMED)
def test_a_framing_participle_is_never_left_without_its_phrase(text: str, expected: str) -> None:
    result = check(text, [POLO])
    assert result.description == expected
    assert not parse_problems(parse(result.description))


JERSEY = "Nike Men Blue T20 Indian Cricket Jersey"
GARMENT_OR_FABRIC = [
    # The product's own type noun is no fabric claim, in the name or the text.
    ("This jersey is made of polyester and has a polo collar.", "Fabric: Polyester", set(), None),
    # Framed as a material, it is one: the record's polyester contradicts it.
    (
        "This blue jersey is made of jersey and has a polo collar.",
        "Fabric: Polyester",
        {"jersey"},
        "This blue jersey has a polo collar.",
    ),
    ("Soft cotton jersey gives this top its drape.", "Fabric: Polyester", {"cotton", "jersey"}, ""),
    # A record that states jersey as the fabric supports it.
    ("This jersey is made of jersey.", "Fabric: Jersey", set(), None),
]


@pytest.mark.parametrize(("text", "record", "removed", "expected"), GARMENT_OR_FABRIC)
def test_a_word_that_names_a_garment_or_a_fabric_is_a_fabric_only_in_a_material_frame(
    text: str, record: str, removed: set[str], expected: str | None
) -> None:
    name = Evidence(id="name", source="name", text=JERSEY)
    result = check(text, [name, Evidence(id="R", source="catalog", text=record + "\nNeck: Polo Collar")])
    assert {c.value for c in result.removed} == removed
    assert result.description == (text if expected is None else expected)


def test_an_item_of_a_list_the_parser_read_as_an_apposition_goes_alone() -> None:
    # "placket" hangs on "sleeves" as an apposition: with the sleeves cut, it is what the shirt "has".
    text = (
        "Navy blue check shirt made of 100% cotton, has short sleeves, full front button placket with a "
        "spread collar and a curved hem."
    )
    record = Evidence(
        id="R",
        source="catalog",
        text="Colour: Navy Blue\nFabric: 100% Cotton\nSleeve Length: Long Sleeves\nCollar: Spread Collar\n"
        "Pattern: Checked\nNavy blue check shirt with a full front button placket and a curved hem",
    )
    result = check(text, [record])
    assert result.description == (
        "Navy blue check shirt made of 100% cotton, has full front button placket with a spread collar and "
        "a curved hem."
    )
    assert {c.value: c.cut for c in result.removed} == {"short sleeves": "conjunct"}
