"""examples/service.py: the HTTP service, driven with httpx against the app (no socket, no network)."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

import httpx
import pytest

from seamline import Agent, DescribeResult
from seamline.events import RunFinished, parse_event
from seamline.llm.fake import FakeLLM
from tests.conftest import REPO
from tests.fakes import OTHER, SHIRT, FakeKnowledge, FakeSearch
from tests.unit.test_api_stream import DRAFT, PRODUCT, comparable


def service() -> ModuleType:
    pytest.importorskip("fastapi", reason="the service example needs FastAPI (seamline[server])")
    spec = importlib.util.spec_from_file_location(
        "seamline_example_service", REPO / "examples" / "service.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # as an import would: pydantic resolves the module's annotations there
    spec.loader.exec_module(module)
    return module


def agent() -> Agent:
    return Agent(
        llm=FakeLLM(default=DRAFT),
        search=FakeSearch(pages=[SHIRT, OTHER]),
        knowledge=FakeKnowledge(["Twill is a durable weave."]),
    )


def sse_events(body: str) -> list:
    """The events of a Server-Sent Events body, read back from their data lines."""
    return [parse_event(line[len("data: ") :]) for line in body.splitlines() if line.startswith("data: ")]


@pytest.mark.anyio
async def test_streamed_describe_gives_the_same_result_as_describe() -> None:
    served = agent()
    app = service().create_app(served)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://seamline.test") as client:
        async with client.stream(
            "POST", "/describe", json={"product": PRODUCT}, headers={"accept": "text/event-stream"}
        ) as response:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            body = "".join([chunk async for chunk in response.aiter_text()])
        events = sse_events(body)
        assert [e.type for e in events][:2] == ["run_started", "node_started"]
        assert {"step_planned", "tool_called", "evidence_added", "draft_token", "claim_removed"} <= {
            e.type for e in events
        }
        finished = events[-1]
        assert isinstance(finished, RunFinished) and finished.result is not None

        plain = await client.post("/describe", json={"product": PRODUCT})
        assert plain.status_code == 200
        answered = DescribeResult.model_validate(plain.json())

        run = await client.get(f"/runs/{finished.run_id}")
        assert run.status_code == 200 and run.json()["state"] == "complete"
        stored = DescribeResult.model_validate(run.json()["result"])
    described = served.describe(PRODUCT)
    assert comparable(finished.result) == comparable(described) == comparable(answered) == comparable(stored)
    assert "waterproof" not in described.description.lower()


@pytest.mark.anyio
async def test_check_bad_input_and_unknown_runs() -> None:
    app = service().create_app(agent())
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://seamline.test") as client:
        audit = await client.post(
            "/check",
            json={
                "description": "A navy shirt in 100% organic cotton, waterproof and made in Italy.",
                "evidence": [
                    {"id": "sku-1", "source": "catalog", "text": "Fabric: Cotton\nColour: Navy Blue"}
                ],
            },
        )
        assert audit.status_code == 200 and audit.json()["description"] == "A navy shirt in cotton."
        empty = await client.post(
            "/describe", json={"product": "  "}, headers={"accept": "text/event-stream"}
        )
        assert empty.status_code == 400 and empty.json()["error"] == "UsageError"
        missing = await client.get("/runs/no-such-run")
        assert missing.status_code == 404 and missing.json()["error"] == "RunStoreError"
