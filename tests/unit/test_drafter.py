"""The drafter's clean-up of small-model output, and the drafting prompt."""

from __future__ import annotations

import pytest

from seamline.agents import prompts
from seamline.agents.drafter import collapse_repeats, tidy
from seamline.results import Evidence

PRODUCT = "Turtle Check Men Navy Blue Shirt"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Description: A navy shirt for men.", "A navy shirt for men."),
        ("Fabric: Cotton\nPattern: Checked\nThis shirt is made of cotton.", "This shirt is made of cotton."),
        (f"{PRODUCT}: Product name: {PRODUCT} Product description: Product details.", ""),
        (
            "A shirt in cotton [E1]. It has long sleeves [E1, name].",
            "A shirt in cotton. It has long sleeves.",
        ),
        (
            "It has a collar, including a variety of fabrics, including a variety of fab",
            "It has a collar, including a variety of fabrics.",
        ),
        ("It is a high-end, high-end, sporty shirt.", "It is a high-end, sporty shirt."),
        ("It is soft. It is soft. It is soft.", "It is soft."),
    ],
)
def test_tidy(raw: str, clean: str) -> None:
    assert tidy(raw, PRODUCT) == clean


def test_collapse_repeats_keeps_one_copy() -> None:
    looped = "a variety of fabrics, a variety of fabrics, a variety of fabrics."
    assert collapse_repeats(looped).count("variety") == 1


def test_prompt_lists_product_facts_with_ids_and_leaves_out_general_knowledge() -> None:
    evidence = [
        Evidence(id="name", source="name", text=PRODUCT),
        Evidence(id="E1", source="catalog", title=PRODUCT, text="Fabric: Cotton\nFit: Slim Fit"),
        Evidence(id="E2", source="knowledge", text="Oxford cloth is a basketweave.", about_product=False),
    ]
    user = prompts.draft_messages(PRODUCT, evidence)[-1]["content"]
    assert "- Fabric: Cotton [E1]" in user and "- Fit: Slim Fit [E1]" in user
    assert "Oxford" not in user
    assert "Oxford" in prompts.draft_messages(PRODUCT, evidence, general=True)[-1]["content"]


def test_render_is_strict() -> None:
    with pytest.raises(KeyError):
        prompts.render(prompts.DRAFT_USER, product="x")


def test_a_model_tuned_on_the_compact_prompt_gets_it() -> None:
    from seamline.agents.drafter import draft_prompt
    from seamline.llm import FakeLLM, ModelInfo

    evidence = [
        Evidence(id="name", source="name", text=PRODUCT),
        Evidence(id="E1", source="catalog", title=PRODUCT, text=f"Name: {PRODUCT}\nFabric: Cotton"),
    ]
    untuned = FakeLLM()
    few_shot = draft_prompt(untuned, PRODUCT, evidence)
    assert len(few_shot) == 2 + 2 * len(prompts.DRAFT_EXAMPLES)  # the worked examples come first
    tuned = FakeLLM()
    tuned.info = ModelInfo(name="m", backend="fake", adapter="a", prompt_format=prompts.TUNED_FORMAT)
    system, user = draft_prompt(tuned, PRODUCT, evidence)
    assert system["content"] == prompts.TUNED_SYSTEM
    # The compact prompt: the instruction, then the facts without ids, and the record's name line once.
    assert user["content"] == (
        f'Describe "{PRODUCT}" for the catalog.\n\nFacts about this product:\n'
        f"Product name: {PRODUCT}\nFabric: Cotton"
    )
