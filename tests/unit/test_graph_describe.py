"""The describe graph end to end with a fake model and an injected search: real LangGraph, real SQLite."""

from __future__ import annotations

import json

import pytest

from seamline import Agent, DescribeResult
from seamline.errors import UsageError
from seamline.llm.fake import FakeLLM
from tests.fakes import OTHER, SHIRT, FakeKnowledge, FakeSearch

DRAFT = (
    "This navy blue checked shirt for men is made of 100% cotton. It is waterproof and made in Italy. "
    "It has long sleeves and a spread collar."
)


def make_agent(
    llm: FakeLLM,
    search: FakeSearch | None = None,
    knowledge: FakeKnowledge | None = None,
    **overrides: object,
) -> Agent:
    return Agent(
        llm=llm,
        search=search or FakeSearch(pages=[SHIRT, OTHER]),
        knowledge=knowledge or FakeKnowledge(["Twill is a durable weave."]),
        **overrides,
    )


def test_describe_keeps_supported_and_removes_invented_claims() -> None:
    with make_agent(FakeLLM([DRAFT])) as agent:
        result = agent.describe("Turtle Check Men Navy Blue Shirt")
    assert isinstance(result, DescribeResult)
    assert result.status.state == "complete"
    assert result.run_id
    text = result.description.lower()
    for invented in ("waterproof", "italy", "100%"):
        assert invented not in text
    assert "long sleeves" in text
    removed = {c.value.lower() for c in result.removed}
    assert any("waterproof" in v for v in removed)
    # The product's own page was found and marked as about the product; the other shirt was not.
    own = [e for e in result.evidence if e.url == SHIRT.url]
    assert own and own[0].about_product
    assert all(not e.about_product for e in result.evidence if e.url == OTHER.url)
    # Every kept claim cites evidence that exists.
    ids = {e.id for e in result.evidence}
    assert all(c.evidence_ids and set(c.evidence_ids) <= ids for c in result.claims)
    nodes = [s.node for s in result.steps]
    assert nodes[0] == "plan" and "research" in nodes and nodes[-1] == "critic"


def test_prompt_carries_evidence_ids() -> None:
    llm = FakeLLM([DRAFT])
    with make_agent(llm) as agent:
        result = agent.describe("Turtle Check Men Navy Blue Shirt")
    prompt = llm.calls[0][-1]["content"]
    own = next(e for e in result.evidence if e.url == SHIRT.url)
    assert f"[{own.id}]" in prompt and "Spread Collar" in prompt


def test_failed_source_is_recorded_and_run_completes() -> None:
    with make_agent(FakeLLM([DRAFT]), FakeSearch(pages=[SHIRT], failing=True)) as agent:
        result = agent.describe("Turtle Check Men Navy Blue Shirt")
    assert result.status.state == "complete"
    assert "search_product" in result.status.failed_sources
    assert any("search_product" in w for w in result.warnings)
    # Without product evidence beyond the name, only what the name says survives.
    assert "cotton" not in result.description.lower()


def test_no_sources_only_the_name_supports_claims() -> None:
    with make_agent(FakeLLM([DRAFT]), FakeSearch(pages=[]), FakeKnowledge([])) as agent:
        result = agent.describe("Turtle Check Men Navy Blue Shirt")
    assert result.status.state == "complete"
    for kept in result.claims:
        assert kept.evidence_ids == ["name"]
    assert "cotton" not in result.description.lower()


@pytest.mark.parametrize("bad", ["", "   ", "x" * 501])
def test_bad_product_names_are_usage_errors(bad: str) -> None:
    with make_agent(FakeLLM([DRAFT])) as agent, pytest.raises(UsageError):
        agent.describe(bad)


def test_result_is_stored_and_json_round_trips() -> None:
    with make_agent(FakeLLM([DRAFT])) as agent:
        result = agent.describe("Turtle Check Men Navy Blue Shirt")
        summary, options, stored = agent.runs.get(result.run_id)
    assert summary.state == "complete" and options["search"] == "injected FakeSearch"
    assert stored is not None
    again = DescribeResult.model_validate_json(stored)
    assert again.description == result.description
    assert json.loads(result.model_dump_json())["run_id"] == result.run_id


def test_revise_sends_removed_claims_back_once() -> None:
    llm = FakeLLM([DRAFT, "A navy blue checked shirt for men with long sleeves."])
    with make_agent(llm, revise=True) as agent:
        result = agent.describe("Turtle Check Men Navy Blue Shirt")
    assert len(llm.calls) == 2
    revise_prompt = llm.calls[1][-1]["content"]
    assert "waterproof" in revise_prompt.lower()
    assert result.description.startswith("A navy blue checked shirt for men with long sleeves.")
    assert "cotton" in result.description  # the follow-up sentence adds the fabric the draft left out


def test_compare_task_is_a_competitor_report() -> None:
    rival = OTHER.__class__(
        title="Rival Men Navy Blue Checked Shirt",
        url="https://rival.example/shirt",
        text="Navy blue checked shirt for men. Fabric: Linen. Sleeve Length: Long Sleeves. Price: 1299",
    )
    with make_agent(FakeLLM([DRAFT]), FakeSearch(pages=[SHIRT, rival])) as agent:
        report = agent.run("compare Turtle Check Men Navy Blue Shirt")
    theirs = next(c for c in report.competitors if c.url == rival.url)
    assert theirs.price is not None and theirs.price.amount == 1299
    rows = {r.attribute: r for r in report.matrix}
    fabric = next(c for c in rows["material"].cells if c.evidence_id == theirs.evidence_id)
    assert (rows["material"].product, fabric.value, fabric.relation) == ("cotton", "linen", "differs")
    assert rows["sleeve"].verdict == "like the market"
    assert [s.node for s in report.steps] == ["research", "market", "analyse", "summarise", "critic"]


def test_stream_emits_the_draft_piece_by_piece() -> None:
    tokens: list[str] = []

    def hear(event: str, payload: dict) -> None:
        if event == "token":
            tokens.append(payload["text"])

    with make_agent(FakeLLM([DRAFT])) as agent:
        result = agent.describe("Turtle Check Men Navy Blue Shirt", on_event=hear, stream=True)
    assert len(tokens) > 5 and "".join(tokens) == DRAFT
    assert result.usage.completion_tokens == len(tokens)


def test_an_empty_draft_is_said_so_and_the_description_comes_from_evidence() -> None:
    with make_agent(FakeLLM([""])) as agent:
        result = agent.describe("Turtle Check Men Navy Blue Shirt")
    assert result.description
    assert "the model's draft was empty; the description comes from the evidence alone" in result.warnings
    assert "the description is empty" not in result.warnings
