"""General sentences: knowledge about a value the product evidence states, said of the term only."""

from __future__ import annotations

from seamline.agents import general
from seamline.agents.critic import check
from seamline.agents.planner import knowledge_actions
from seamline.agents.writer import compose
from seamline.results import Detail, Evidence

PRODUCT = "Turtle Check Men Navy Blue Shirt"
RECORD = Evidence(
    id="E1",
    source="catalog",
    title=PRODUCT,
    text="Fabric: Cotton\nCollar: Mandarin Collar\nFit: Slim Fit\nSleeve Length: Long Sleeves",
)
NAME = Evidence(id="name", source="name", title="Product name", text=PRODUCT)


def entry(term: str, body: str, score: float | None = 0.8, id: str = "K1") -> Evidence:
    return Evidence(
        id=id, source="knowledge", title=term, text=f"{term}: {body}", about_product=False, score=score
    )


COTTON = entry("Cotton", "A soft natural fibre from the seed pod of the cotton plant. It breathes well.")
MANDARIN = entry(
    "Mandarin collar", "A short stand-up collar that does not fold over; also called a band collar.", id="K2"
)


def test_the_values_looked_up_are_the_fabric_and_construction_the_evidence_states() -> None:
    assert general.lookup_values(PRODUCT, [NAME, RECORD]) == [
        ("material", "cotton"),
        ("collar", "mandarin collar"),
        ("fit", "slim fit"),
    ]
    assert general.lookup_values(PRODUCT, [NAME]) == []  # colour and pattern explain themselves
    # The record's fabric, not the name's word: a football "Jersey" of polyester is no jersey knit.
    shirt = "Nike Men Utd White Jersey"
    record = Evidence(id="E1", source="catalog", title=shirt, text="Fabric: Polyester\nNeck: Round Neck")
    assert ("material", "jersey") not in general.lookup_values(shirt, [record])
    # Nor does the name state a fabric: a bare "jersey" is one only in a material frame ("made of").
    assert general.lookup_values(shirt, []) == []
    assert general.lookup_values("Roadster Men Grey Jersey Knit T-shirt", []) == [("material", "jersey")]
    queries = [a.args["query"] for a in knowledge_actions(PRODUCT, [NAME, RECORD], ["lookup_knowledge"])]
    assert queries == ["cotton", "mandarin collar", "slim fit"]
    done = ['lookup_knowledge{"k": 3, "query": "cotton"}']
    assert len(knowledge_actions(PRODUCT, [NAME, RECORD], ["lookup_knowledge"], done)) == 2
    assert knowledge_actions(PRODUCT, [NAME, RECORD], ["search_product"]) == []


def test_an_entry_becomes_a_sentence_about_its_term() -> None:
    assert general.sentence_of(COTTON, "material") == (
        "Cotton is a soft natural fibre from the seed pod of the cotton plant."
    )
    assert general.sentence_of(MANDARIN, "collar") == (
        "A mandarin collar is a short stand-up collar that does not fold over."
    )
    plural = entry("Snap buttons", "Two-part fasteners that press together.")
    said = general.sentence_of(plural, "closure")
    assert said == "Snap buttons are two-part fasteners that press together."
    # No definition to say "is" of, or one that speaks of "it": no sentence.
    assert general.sentence_of(entry("Sleeveless", "With no sleeves."), "sleeve") == ""
    assert general.sentence_of(entry("Lining", "A layer inside it."), "feature") == ""


def test_a_hit_is_used_only_when_its_term_names_the_value_and_it_is_near_enough() -> None:
    assert general.about(COTTON, "material", "cotton")
    assert not general.about(COTTON, "material", "linen")
    assert not general.about(entry("Cotton", "A fibre.", score=0.1), "material", "cotton")
    assert general.about(entry("Cotton", "A fibre.", score=None), "material", "cotton")  # a user's retriever
    crew = entry("Crew neck", "A close-fitting round neckline.", score=0.9)
    round_neck = entry("Round neck", "A plain round neckline.", score=0.6, id="K2")
    assert general.best_hit([crew, round_neck], "neck", "round neck") is round_neck


def test_the_writer_adds_one_general_sentence_after_the_facts_and_none_without_knowledge() -> None:
    facts = [Detail(attribute="material", value="cotton", evidence_ids=["E1"])]
    evidence = [NAME, RECORD, COTTON, MANDARIN]
    text = compose(PRODUCT, "Navy blue checked shirt made of cotton.", facts, evidence)
    assert text == (
        "Navy blue checked shirt made of cotton. "
        "Cotton is a soft natural fibre from the seed pod of the cotton plant."
    )
    assert compose(PRODUCT, "Navy blue checked shirt made of cotton.", facts, [NAME, RECORD]) == (
        "Navy blue checked shirt made of cotton."
    )


def test_the_critic_keeps_a_general_sentence_as_general_and_cites_the_entry() -> None:
    text = "Navy blue checked shirt made of cotton. A mandarin collar is a short stand-up collar."
    result = check(text, [NAME, RECORD, COTTON, MANDARIN], product=PRODUCT)
    assert result.description == text
    kinds = {(c.text, c.kind) for c in result.claims}
    assert ("cotton", "product") in kinds and ("mandarin collar", "general") in kinds
    assert "K2" in next(c for c in result.claims if c.text == "mandarin collar").evidence_ids


def test_a_general_sentence_never_adds_a_product_attribute() -> None:
    breathable = entry("Linen", "A breathable fabric woven from flax.", id="K3")
    evidence = [NAME, RECORD, breathable]
    # Said of the product, knowledge supports nothing.
    assert {c.value for c in check("This shirt is breathable.", evidence, product=PRODUCT).removed} == {
        "breathable"
    }
    # A "general" sentence about a value the product evidence rules out is said of the product.
    regular = entry("Regular fit", "A standard cut with some room through the body.", id="K4")
    result = check("A regular fit is a standard cut.", [NAME, RECORD, regular], product=PRODUCT)
    assert [(c.value, c.verdict) for c in result.removed] == [("regular fit", "contradicted")]
    # A type named in a general sentence is the term's, not this product's.
    crew = entry("Crew neck", "A round neckline, usual on T-shirts.", id="K5")
    round_neck = RECORD.model_copy(update={"text": "Fabric: Cotton\nNeck: Round Neck"})
    said = "A crew neck is a round neckline, usual on T-shirts."
    kept = check(said, [NAME, round_neck, crew], product=PRODUCT)
    assert kept.removed == []


def test_a_prose_chunk_of_a_users_document_gives_its_own_general_sentence_about_the_value() -> None:
    book = Evidence(
        id="K9",
        source="knowledge",
        title="fabric-book.pdf p. 12",
        text="Fibres from plants. Cotton is a soft fibre that breathes well. Our shirts use it often.",
        about_product=False,
        score=0.7,
    )
    assert general.about(book, "material", "cotton")
    assert general.sentence_of(book, "material", "cotton") == "Cotton is a soft fibre that breathes well."
    passing = book.model_copy(update={"text": "Prices of cotton rose in 2024. Linen is cool."})
    assert not general.about(passing, "material", "cotton")  # named in passing: no sentence is forced
    assert general.general_sentence(PRODUCT, [NAME, RECORD, book]) == (
        "Cotton is a soft fibre that breathes well.",
        book,
    )
