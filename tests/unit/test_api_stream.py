"""Typed events as a run happens (``stream``, ``astream``), and ``adescribe`` in an event loop."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence

import pytest

from seamline import Agent
from seamline.errors import UsageError
from seamline.events import (
    ClaimJudged,
    ClaimRemoved,
    DraftToken,
    EvidenceAdded,
    RunFailed,
    RunFinished,
    RunStarted,
    StepPlanned,
    ToolCalled,
    event_schema,
    parse_event,
    to_sse,
)
from seamline.llm.base import Message
from seamline.llm.fake import FakeLLM
from tests.fakes import OTHER, SHIRT, FakeKnowledge, FakeSearch

PRODUCT = "Turtle Check Men Navy Blue Shirt"
DRAFT = (
    "This navy blue checked shirt for men is made of cotton. It is waterproof and made in Italy. "
    "It has long sleeves and a spread collar."
)


def make_agent(llm: FakeLLM | None = None, **overrides: object) -> Agent:
    return Agent(
        llm=llm or FakeLLM(default=DRAFT),
        search=FakeSearch(pages=[SHIRT, OTHER]),
        knowledge=FakeKnowledge(["Twill is a durable weave."]),
        **overrides,
    )


def comparable(result) -> dict:
    """A result without what differs between two runs of the same product (ids, clocks, token counts)."""
    data = result.model_dump(mode="json", exclude={"run_id", "timings", "usage", "steps"})
    for item in data["evidence"]:
        item.pop("retrieved_at")
    return data


def test_stream_yields_typed_events_in_order_ending_with_the_result() -> None:
    with make_agent() as agent:
        events = list(agent.stream(f"describe {PRODUCT}", run_id="streamed"))
        described = agent.describe(PRODUCT)
    kinds = [e.type for e in events]
    assert isinstance(events[0], RunStarted) and events[0].product == PRODUCT
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert all(e.run_id == "streamed" for e in events)
    assert kinds.index("step_planned") < kinds.index("tool_called") < kinds.index("evidence_added")
    assert kinds.index("evidence_added") < kinds.index("draft_token") < kinds.index("claim_judged")
    planned = [e for e in events if isinstance(e, StepPlanned)]
    # The name states no fabric or construction; the page found first does, and those are looked up.
    assert [a.tool for a in planned[0].step.actions] == ["search_product"]
    assert [a.args["query"] for a in planned[1].step.actions] == ["cotton", "spread collar", "slim fit"]
    calls = [e for e in events if isinstance(e, ToolCalled)]
    assert [c.tool for c in calls] == ["search_product"] + ["lookup_knowledge"] * 3
    assert all(c.outcome == "ok" for c in calls)
    added = [e.evidence for e in events if isinstance(e, EvidenceAdded)]
    assert any(e.url == SHIRT.url and e.about_product for e in added)
    assert "".join(e.text for e in events if isinstance(e, DraftToken)) == DRAFT
    removed = {e.claim.value for e in events if isinstance(e, ClaimRemoved)}
    assert any("waterproof" in v for v in removed)
    assert any(isinstance(e, ClaimJudged) and e.claim.verdict == "supported" for e in events)
    finished = events[-1]
    assert isinstance(finished, RunFinished) and finished.result is not None
    # The same run as describe(), only watched: the same text, ledger and evidence.
    assert comparable(finished.result) == comparable(described)


def test_every_event_round_trips_through_json_and_sse() -> None:
    with make_agent() as agent:
        events = list(agent.stream(f"describe {PRODUCT}"))
    for event in events:
        again = parse_event(event.model_dump_json())
        assert type(again) is type(event) and again == event
        sse = to_sse(event)
        assert sse.startswith(f"event: {event.type}\nid: {event.seq}\ndata: {{") and sse.endswith("\n\n")
    assert set(event_schema()["discriminator"]["mapping"]) >= {"run_started", "run_finished", "run_failed"}


def test_a_failed_tool_is_an_event_and_the_run_goes_on() -> None:
    agent = Agent(
        llm=FakeLLM(default=DRAFT), search=FakeSearch(pages=[SHIRT], failing=True), knowledge="none"
    )
    with agent:
        events = list(agent.stream(f"describe {PRODUCT}"))
    failed = [e for e in events if isinstance(e, ToolCalled) and e.outcome == "failed"]
    assert failed and "search backend unreachable" in failed[0].observation
    assert isinstance(events[-1], RunFinished)


def test_a_failing_run_ends_with_a_failed_event_and_a_bad_task_raises_at_once() -> None:
    def broken(messages: Sequence[Message]) -> str:
        raise RuntimeError("the GPU caught fire")

    with make_agent(FakeLLM(default=broken)) as agent:
        events = list(agent.stream(f"describe {PRODUCT}"))
        with pytest.raises(UsageError, match="cannot understand the task"):
            agent.stream("paint the shirt red")
        with pytest.raises(UsageError, match="describe takes no option top"):
            agent.stream(f"describe {PRODUCT}", top=3)
    last = events[-1]
    assert isinstance(last, RunFailed) and last.error == "RuntimeError" and "caught fire" in last.message
    assert last.resumable


def test_leaving_a_stream_early_cancels_the_run_and_it_resumes_from_its_checkpoint() -> None:
    with make_agent() as agent:
        seen = []
        for event in agent.stream(f"describe {PRODUCT}", run_id="left-early"):
            seen.append(event)
            if isinstance(event, EvidenceAdded):
                break
        agent.close()  # waits for the run's thread to stop
        summary, _options, stored = agent.runs.get("left-early")
        assert (summary.state, stored) == ("interrupted", None)
        result = agent.resume("left-early")
    assert result.status.state == "complete" and "long sleeves" in result.description
    # Resumed, not restarted: the research before the cancel ran once.
    searches = [s for s in result.steps if s.node == "research" and s.actions[0].tool == "search_product"]
    assert len(searches) == 1


def test_a_competitor_analysis_streams_too() -> None:
    rival = OTHER.__class__(
        title="Rival Men Navy Blue Checked Shirt",
        url="https://rival.example/shirt",
        text="Navy blue checked shirt for men. Fabric: Linen. Price: 1299",
    )
    with Agent(llm=FakeLLM(), search=FakeSearch(pages=[SHIRT, rival]), knowledge="none") as agent:
        events = list(agent.stream(f"competitor analysis for {PRODUCT}", top=3))
    assert events[0].type == "run_started" and events[0].task == "compete"
    finished = events[-1]
    assert isinstance(finished, RunFinished) and finished.report is not None
    assert any(c.url == rival.url for c in finished.report.competitors)


@pytest.mark.anyio
async def test_adescribe_serves_concurrent_calls_on_one_agent() -> None:
    calls: list[str] = []
    lock = threading.Lock()

    def draft(messages: Sequence[Message]) -> str:
        with lock:
            calls.append(threading.current_thread().name)
        return DRAFT

    products = [PRODUCT, "Turtle Men White Formal Shirt", PRODUCT, "Turtle Men White Formal Shirt"]
    with make_agent(FakeLLM(default=draft)) as agent:
        results = await asyncio.gather(*(agent.adescribe(p) for p in products))
        again = agent.describe(PRODUCT)
    assert [r.product for r in results] == products
    assert len({r.run_id for r in results}) == 4
    assert all(r.status.state == "complete" for r in results)
    assert comparable(results[0]) == comparable(again) == comparable(results[2])
    assert calls[:4] == ["seamline-run"] * 4 and calls[4] == "MainThread"


@pytest.mark.anyio
async def test_astream_yields_the_same_events() -> None:
    with make_agent() as agent:
        events = [e async for e in agent.astream(f"describe {PRODUCT}")]
    assert events[0].type == "run_started" and isinstance(events[-1], RunFinished)
    assert any(e.type == "draft_token" for e in events)


@pytest.mark.anyio
async def test_a_cancelled_adescribe_leaves_the_run_resumable() -> None:
    drafting = threading.Event()
    release = threading.Event()

    def slow(messages: Sequence[Message]) -> str:
        drafting.set()
        release.wait(timeout=30)
        return DRAFT

    with make_agent(FakeLLM(default=slow)) as agent:
        task = asyncio.ensure_future(agent.adescribe(PRODUCT, run_id="cancelled", stream=True))
        while not drafting.is_set():
            await asyncio.sleep(0.01)
        task.cancel()
        release.set()  # the model finishes its piece; the run stops at the first drafted piece after it
        with pytest.raises(asyncio.CancelledError):
            await task
        summary, _options, stored = agent.runs.get("cancelled")
        assert (summary.state, stored) == ("interrupted", None)
        result = agent.resume("cancelled")
    assert result.status.state == "complete" and result.draft.startswith("This navy blue")
    searches = [s for s in result.steps if s.node == "research" and s.actions[0].tool == "search_product"]
    assert len(searches) == 1


def test_a_run_that_cannot_start_still_ends_its_stream_with_a_failed_event(tmp_path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory")
    with make_agent(data_dir=blocked) as agent:
        events = list(agent.stream(f"describe {PRODUCT}"))
    assert len(events) == 1 and isinstance(events[0], RunFailed)
    assert events[0].error == "ConfigError" and "not writable" in events[0].message
