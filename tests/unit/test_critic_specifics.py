"""Unverifiable specifics: content words the evidence never uses, and the framing list they are read with."""

from __future__ import annotations

import pytest

from seamline.agents.critic.specifics import addresses_the_reader, unverifiable
from seamline.agents.lexicon.words import framing
from seamline.finetune.framing import framing_words, lexicon_terms

RECORD = (
    "Turtle Check Men Navy Blue Shirt\nBrand: Turtle\nColour: Navy Blue\nFabric: Cotton\n"
    "Sleeve Length: Long Sleeves\nPattern: Checked\nCollar: Spread Collar"
)


@pytest.mark.parametrize(
    ("sentence", "flagged"),
    [
        ("This navy checked shirt from Turtle has long sleeves and a spread collar.", []),
        ("A classic piece for your wardrobe, perfect for any day.", []),
        ("It has a swoosh on the left chest.", ["swoosh", "chest"]),
        ("Made of United Colors of Benetton cotton.", ["United", "Colors", "Benetton"]),
        ("It is available in a variety of sizes.", ["sizes"]),
        ("It comes in various colours and sizes.", ["colours", "sizes"]),
        ("The colours of the check stay bright.", []),
        ("The shirt is made of 100% cotton.", ["100"]),
        ("Turn inside out before drying.", ["drying"]),
        ("When it is Thursday, try this shirt.", ["Thursday"]),
    ],
)
def test_flags_what_the_record_never_states(sentence, flagged) -> None:
    assert unverifiable(sentence, RECORD) == flagged


def test_a_word_the_evidence_uses_in_another_form_is_stated() -> None:
    assert unverifiable("It has two chest pockets.", RECORD + "\nPockets: 2 chest pocket, two") == []
    assert unverifiable("Wash it cold.", RECORD + "\nWash care: machine wash cold") == []


def test_framing_words_are_common_in_every_large_group_only() -> None:
    groups = {
        "tops": [{"style", "pocket"}, {"style", "collar"}, {"look"}],
        "shoes": [{"style", "sole"}, {"look", "style"}, {"lace"}],
        "bags": [{"style", "strap"}, {"look"}, {"zip"}],
    }
    assert set(framing_words(groups, min_groups=3, min_share=0.3, share_of_groups=1.0)) == {"style", "look"}


def test_the_shipped_framing_list_holds_no_lexicon_word() -> None:
    assert framing(), "agents/vocab/words/framing.json is empty"
    assert not framing() & lexicon_terms()


def test_a_product_type_that_is_not_the_products_is_contradicted() -> None:
    from seamline.agents.critic import check

    record = [{"id": "E1", "text": "Article type: Shirts\nColour: Navy Blue\nPattern: Checked"}]
    shirt = "Turtle Men Navy Blue Checked Shirt"
    result = check("It is a checked shorts.", record, product=shirt)
    assert [(c.text, c.verdict) for c in result.removed] == [("shorts", "contradicted")]
    # A broader type, a styling cue and "short" of "short sleeves" are not the product's type.
    kept = "This navy shirt is a versatile top. Pair it with jeans."
    assert check(kept, record, product=shirt).description == kept
    assert not [
        c
        for c in check("A shirt with short sleeves.", record, product=shirt).removed
        if c.category == "garment"
    ]


@pytest.mark.parametrize(
    ("sentence", "advice"),
    [
        ("Team it with dainty skirts and tops for a girly look.", True),
        ("Simply pair this tee with denims and flip-flops.", True),
        ("Remove immediately/do not allow to lay on itself when wet.", True),
        ("This navy shirt has long sleeves.", False),
        ("Crafted from cotton, this shirt has long sleeves.", False),
        ("Made of cotton, it has a spread collar.", False),
        ("Navy blue checked shirt for men.", False),
    ],
)
def test_advice_to_the_reader_is_an_instruction(sentence, advice) -> None:
    assert addresses_the_reader(sentence) is advice
