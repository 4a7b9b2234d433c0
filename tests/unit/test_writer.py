"""The writer drops sentences the critic emptied, and keeps what the draft said as written."""

from __future__ import annotations

import pytest

from seamline.agents.writer import compose, drop_emptied, follow_up, lead_sentence, prose
from seamline.results import Detail

DRAFT = (
    "This navy blue shirt is made of cotton. It falls to a midi length and closes with a tie-up "
    "fastening. It is a great pick."
)


def test_a_cut_sentence_that_states_nothing_is_dropped() -> None:
    cleaned = "This navy blue shirt is made of cotton. It falls to a fastening. It is a great pick."
    assert drop_emptied(cleaned, DRAFT) == "This navy blue shirt is made of cotton. It is a great pick."


def test_a_cut_sentence_that_still_states_an_attribute_stays() -> None:
    cleaned = "This navy blue shirt is made of cotton. It closes with a fastening and has long sleeves."
    draft = "This navy blue shirt is made of cotton. It closes with a zip fastening and has long sleeves."
    assert drop_emptied(cleaned, draft) == cleaned


def test_compose_without_the_draft_changes_nothing() -> None:
    cleaned = "This navy blue shirt is made of cotton. It falls to a fastening."
    assert compose("Navy Blue Shirt", cleaned, []) == cleaned
    assert compose("Navy Blue Shirt", cleaned, [], draft=DRAFT) == "This navy blue shirt is made of cotton."


def details(**values: str) -> list[Detail]:
    return [Detail(attribute=a, value=v, evidence_ids=["E1"]) for a, v in values.items()]


def test_lead_sentence_orders_attributes_as_a_catalog_would() -> None:
    facts = details(
        colour="navy blue",
        pattern="checked",
        material="cotton",
        sleeve="long sleeves",
        collar="spread collar",
        fit="slim fit",
        audience="men",
    )
    assert lead_sentence("Turtle Check Men Navy Blue Shirt", facts) == (
        "Navy blue checked shirt for men, made of cotton, with long sleeves and a spread collar, "
        "in a slim fit."
    )


def test_sleeveless_and_strapless_describe_the_product_instead_of_following_with() -> None:
    facts = details(colour="black", material="viscose", sleeve="sleeveless", neck="v-neck", audience="women")
    assert lead_sentence("Lumen Women Black Maxi Dress", facts) == (
        "Black sleeveless dress for women, made of viscose, with a v-neck."
    )
    assert follow_up("Lumen Women Black Maxi Dress", details(neck="strapless")) == "It is a strapless dress."


def test_a_plural_garment_takes_they_and_no_article() -> None:
    said = follow_up("Scullers Men Black Checked Trousers", details(colour="charcoal", fit="slim fit"))
    assert said == "They are charcoal trousers, in a slim fit."


def test_occasion_season_and_care_read_as_catalog_copy() -> None:
    said = follow_up(
        "Roadster Men Navy Shirt",
        details(material="cotton", occasion="casual", season="summer", care="machine wash"),
    )
    assert said == "It is made of cotton. For casual wear in summer. Machine wash."


def test_a_colour_said_in_part_is_said_again_whole() -> None:
    # "Red check shirt ..." leaves the record's secondary white unsaid; "a white checked shirt" would
    # name white as the shirt's colour.
    facts = details(colour="red, white", pattern="checked", fit="slim fit", audience="men")
    text = compose("Scullers Men Red Check Shirt", "Red check shirt made of cotton.", facts)
    assert (
        text
        == "Red check shirt made of cotton. It is a checked shirt for men, in red and white, in a slim fit."
    )


def test_a_construction_describes_the_fibre() -> None:
    facts = details(material="cotton, knit", audience="women")
    assert lead_sentence("Women Pink Top", facts) == "Top for women, made of knitted cotton."
    facts = details(material="knit, woven, blend")
    assert follow_up("Women Pink Top", facts) == "It is made of knitted, woven and blended fabric."


@pytest.mark.parametrize(
    ("draft", "expected"),
    [
        ("Black jacket has a full sleeves.", "Black jacket has full sleeves."),
        ("A striped trousers for men.", "Striped trousers for men."),
        ("It has an elasticated cuffs and a round neck.", "It has elasticated cuffs and a round neck."),
        ("It has a few pockets and a pair of cuffs.", "It has a few pockets and a pair of cuffs."),
        ("It has a spread collar and full sleeves.", "It has a spread collar and full sleeves."),
    ],
)
def test_an_article_before_a_plural_noun_goes(draft, expected) -> None:
    assert prose(draft) == expected


def test_advice_in_the_draft_follows_what_the_product_is() -> None:
    # The shipped drafter's whole draft for the README's first command was a pairing line.
    details = [Detail(attribute="colour", value="navy blue", evidence_ids=["name"])]
    text = compose("Turtle Check Men Navy Blue Shirt", "Team this with jeans and sports shoes.", details)
    assert text.endswith("Team this with jeans and sports shoes.")
    assert text.startswith("Navy blue shirt")
