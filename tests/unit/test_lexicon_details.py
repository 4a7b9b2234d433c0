from seamline import check
from seamline.agents.lexicon import details_from_evidence, missing_categories, product_types
from seamline.results import Evidence

RECORD = Evidence(
    id="E1",
    source="catalog",
    text="Fabric: Cotton\nSleeve Length: Long Sleeves\nCollar: Spread Collar\n"
    "Navy blue shirt, 60% cotton 40% linen.\nDo not bleach. Team it with blue jeans.",
)
GENERAL = Evidence(id="K1", source="knowledge", text="Twill is a slim fit weave.", about_product=False)


def test_details_are_computed_from_product_evidence_with_ids():
    details = {d.attribute: d for d in details_from_evidence("Turtle Men Navy Blue Shirt", [RECORD, GENERAL])}
    assert details["material"].value == "cotton, linen"
    assert details["composition"].value == "60% cotton, 40% linen"
    assert details["sleeve"].value == "long sleeves"
    assert details["collar"].value == "spread collar"
    assert details["colour"].value == "navy blue"
    assert details["colour"].evidence_ids == ["name", "E1"]
    assert details["care"].value == "do not bleach"
    assert details["audience"].value == "men"
    assert "fit" not in details  # general knowledge states no product attribute


def test_missing_categories_follow_the_product_type():
    assert product_types("Turtle Men Navy Blue Shirt") == ["shirt"]
    assert missing_categories("Turtle Men Navy Blue Shirt", [RECORD]) == ["pattern", "fit"]
    assert missing_categories("Levis Men Blue Jeans", []) == ["material", "fit", "closure", "pattern"]


def test_neck_and_collar_fill_one_gap():
    assert "neck" not in missing_categories("Puma Polo Collar T-shirt", [])


def test_unknown_product_type_uses_the_default_needs():
    assert missing_categories("Mystery Thing", []) == ["material", "colour", "pattern", "fit"]


def test_a_catalog_product_type_line_wins_over_the_name():
    evidence = [Evidence(id="E1", text="Product type: Bra\nColour: Black")]
    assert product_types("OP T-shirt (Idro)", evidence) == ["bra"]
    assert missing_categories("OP T-shirt (Idro)", evidence) == ["material", "closure"]


def test_a_brand_name_states_no_attribute() -> None:
    # "Indigo Nation" is a brand: its "indigo" is neither the shirt's colour nor a claim to check.
    record = {
        "id": "E1",
        "source": "page",
        "about_product": True,
        "text": "Brand: Indigo Nation\nColour: Purple\nFabric: Cotton",
    }
    product = "Indigo Nation Men Young Lords Purple T-shirt"
    colours = [d.value for d in details_from_evidence(product, [record]) if d.attribute == "colour"]
    assert colours == ["purple"]
    result = check("This Indigo Nation t-shirt is purple.", [record], product=product)
    claims = [(c.category, c.value) for c in result.claims]
    assert claims == [("brand", "indigo nation"), ("colour", "purple")]
