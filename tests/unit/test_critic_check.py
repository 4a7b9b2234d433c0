import pytest

from seamline.agents.critic import check
from seamline.errors import EvidenceError
from seamline.results import CheckResult, Evidence

CATALOG = Evidence(
    id="E1",
    source="catalog",
    text=(
        "Product: Nike Men Town Navy Blue T-Shirts\nBrand: Nike\nColour: Navy Blue\nFabric: Cotton\n"
        "Fit: Regular Fit\nSleeve Length: Short Sleeves\nNeck: Round Neck\nPattern: Printed\n"
        "Price: 1045 INR\n"
        "Navy blue t-shirt made of 100% cotton. Machine wash at 30 degrees. Do not bleach. "
        "Pair it with black jeans."
    ),
)
KNOWLEDGE = Evidence(id="K1", source="knowledge", text="Linen is a breathable fabric.", about_product=False)
EVIDENCE = [CATALOG, KNOWLEDGE]


def run(text: str, evidence=EVIDENCE, **kw) -> CheckResult:
    return check(text, evidence, **kw)


def test_supported_claims_stay_with_their_evidence_ids():
    text = "This navy cotton tee from Nike has short sleeves and a crew neck."
    result = run(text)
    assert result.description == text
    assert result.removed == []
    assert {(c.category, c.value) for c in result.claims} >= {
        ("colour", "navy blue"),
        ("material", "cotton"),
        ("sleeve", "short sleeves"),
        ("neck", "round neck"),
        ("brand", "nike"),
    }
    assert all(c.verdict == "supported" and c.evidence_ids == ["E1"] for c in result.claims)


def test_an_unsupported_adjective_goes_alone():
    result = run("A navy waterproof tee.")
    assert result.description == "A navy tee."
    (claim,) = result.removed
    assert (claim.category, claim.value, claim.verdict, claim.removed_text) == (
        "feature",
        "waterproof",
        "unsupported",
        "waterproof",
    )


def test_a_contradicted_phrase_goes_with_its_preposition():
    result = run("A navy tee made of silk, with a round neck.")
    assert result.description == "A navy tee with a round neck."
    (claim,) = result.removed
    assert claim.verdict == "contradicted" and claim.evidence_ids == ["E1"]
    assert claim.removed_text == "made of silk,"


def test_a_conjunct_goes_with_its_conjunction():
    assert run("It has short sleeves and a V-neck.").description == "It has short sleeves."
    assert run("It has long sleeves and a round neck.").description == "It has a round neck."
    assert run("It comes in navy, red and green.").description == "It comes in navy."


def test_an_unremovable_predicate_takes_the_sentence():
    result = run("A navy tee. The fabric is waterproof. Machine wash.")
    assert result.description == "A navy tee. Machine wash."


def test_article_agrees_after_a_cut():
    assert run("An organic cotton tee.").description == "A cotton tee."


def test_sentence_start_is_capitalised_after_a_cut():
    assert run("Made in Italy, this tee is navy.").description == "This tee is navy."


def test_numbers_need_the_same_number():
    ev = [Evidence(id="E1", text="Fabric: Cotton")]
    result = run("A 100% cotton tee.", ev)
    assert result.description == "A cotton tee."
    assert result.removed[0].category == "composition"
    assert run("A 100% cotton tee.").description == "A 100% cotton tee."
    near = run("Priced at Rs. 1,049, it is cotton. Wash at 40 degrees.")
    assert [c.verdict for c in near.removed] == ["contradicted", "contradicted"]
    assert "1,049" not in near.description and "40" not in near.description


def test_general_knowledge_never_supports_a_product_attribute():
    result = run("A breathable linen tee.")
    assert {c.value for c in result.removed} == {"breathable", "linen"}


def test_general_sentences_may_rest_on_general_knowledge():
    cotton = Evidence(id="K2", source="knowledge", text="Cotton is a breathable fabric.", about_product=False)
    result = run("Cotton is breathable. This tee is navy.", [CATALOG, cotton])
    assert result.description == "Cotton is breathable. This tee is navy."
    # DESIGN.md: general sentences are about the evidenced values; linen is not this cotton tee's.
    assert run("Linen is breathable. This tee is navy.").description == "This tee is navy."


def test_styling_suggestions_are_not_claims_and_do_not_support():
    assert run("Pair it with white sneakers.").removed == []
    result = run("A black tee.")
    assert result.removed[0].value == "black"


def test_negations_must_agree():
    assert run("Do not bleach.").removed == []
    result = run("Safe to bleach.")
    assert result.removed[0].verdict == "contradicted"


def test_product_name_is_evidence():
    result = check("A red polo collar shirt.", [], product="Puma Men Red Polo Collar Shirt")
    assert result.removed == []
    assert result.claims[0].evidence_ids == ["name"]


def test_a_name_says_check_where_prose_would_not():
    name = "Turtle Check Men Navy Blue Shirt"
    result = check("A checked shirt. Check the size chart.", [], product=name)
    assert result.removed == []
    assert [(c.value, c.evidence_ids) for c in result.claims if c.category == "pattern"] == [
        ("checked", ["name"])
    ]
    # The same word in evidence prose is not a pattern.
    prose = Evidence(id="E1", source="catalog", text="Check the size chart before you buy.")
    assert check("A checked shirt.", [prose]).removed[0].value == "checked"


def test_subjective_words_are_not_claims():
    result = run("A timeless, versatile and effortlessly stylish tee.")
    assert result.claims == [] and result.removed == []


def test_check_is_rerunnable_and_idempotent():
    first = run("A waterproof navy tee made of silk, with long sleeves and a V-neck, from Adidas.")
    second = run(first.description)
    assert second.removed == []
    assert second.description == first.description


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_empty_description(text):
    result = run(text)
    assert result.claims == [] and result.removed == []
    assert result.warnings == ["the description is empty"]


def test_no_claims_no_change():
    assert run("Simply lovely.").description == "Simply lovely."


def test_empty_evidence_removes_every_claim_and_says_why():
    result = check("A navy tee.", [])
    assert result.description == "A tee."
    assert "no product evidence" in result.warnings[0]
    assert result.removed[0].reason == "no evidence given"


@pytest.mark.parametrize(
    "evidence",
    [
        "just a string",
        {"id": "E1"},
        [42],
        [{"id": "E1", "text": ["not", "text"]}],
        [{"id": None, "text": "x"}],
    ],
)
def test_malformed_evidence_is_an_evidence_error(evidence):
    with pytest.raises(EvidenceError):
        check("A navy tee.", evidence)


def test_evidence_as_mappings_is_accepted():
    result = check("A navy tee.", [{"id": "A", "text": "Colour: Navy Blue"}])
    assert result.claims[0].evidence_ids == ["A"]


def test_non_utf8_bytes_are_an_evidence_error():
    with pytest.raises(EvidenceError, match="UTF-8"):
        check(b"A navy \xff tee.", [CATALOG])  # type: ignore[arg-type]


def test_lone_surrogates_are_replaced_not_fatal():
    result = run("A navy \udcff tee.")
    assert "navy" in result.description


def test_long_text_gets_a_result():
    text = "A navy waterproof tee with short sleeves. " * 2500
    result = run(text)
    assert len(text) > 100_000
    assert "waterproof" not in result.description
    assert result.description.count("navy") == 2500


def test_a_modifier_of_a_generic_head_takes_its_phrase():
    assert (
        run("A navy tee made of silk fabric, in a navy colour.").description == "A navy tee in a navy colour."
    )


def test_list_items_go_with_their_separator():
    text = "It features three-quarter sleeves, a turtleneck, short sleeves and a round neck."
    assert run(text).description == "It features short sleeves and a round neck."
    assert run("This charcoal, navy tee is cotton.").description == "This navy tee is cotton."


def test_origin_goes_with_its_introducer():
    assert run("Imported from Turkey, this tee is navy.").description == "This tee is navy."
    assert run("A navy tee. It is made in Italy.").description == "A navy tee."


def test_brand_names_stop_at_the_sentence_end():
    result = run("A tee from Nike. It is navy.")
    assert result.removed == []
    assert [c.value for c in result.claims if c.category == "brand"] == ["nike"]


def test_coordinated_predicates_and_leading_phrases():
    text = "Ideal for summer, it is also waterproof and easy to wear. It is easy to wear and waterproof."
    assert run(text).description == "It is also easy to wear. It is easy to wear."
    text = "This tee features a V-neck, short sleeves with a print, and a navy colour."
    assert run(text).description == "This tee features short sleeves with a print, and a navy colour."


def test_an_unsupported_fabric_in_a_compound_leaves_the_supported_fabric() -> None:
    result = run("It's cut from cotton twill in a tapered fit, with short sleeves.")
    assert result.description == "It's cut from cotton with short sleeves."
    assert [(c.value, c.removed_text) for c in result.removed] == [
        ("twill", "twill"),
        ("tapered fit", "in a tapered fit,"),
    ]
    # The fabric left standing is judged and in the ledger, with its evidence.
    cotton = next(c for c in result.claims if c.value == "cotton")
    assert cotton.evidence_ids == ["E1"]


def test_the_fabric_left_standing_goes_too_when_nothing_supports_it() -> None:
    polyester = Evidence(id="P1", source="catalog", text="Fabric: Polyester\nColour: Navy Blue")
    result = check("A navy shirt made of cotton twill.", [polyester])
    assert result.description == "A navy shirt."
    assert {c.value for c in result.removed} == {"twill", "cotton"}


def test_a_cut_never_leaves_its_with_behind() -> None:
    polyester = Evidence(id="P1", source="catalog", text="Fabric: Polyester\nSleeve Length: Long Sleeves")
    result = check("It's cut from cotton, with long sleeves.", [polyester])
    assert "It's with" not in result.description
    assert [c.value for c in result.removed] == ["cotton"]
