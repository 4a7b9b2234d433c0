"""A small HTTP service over one Agent: describe, check and look up runs, with a run's events over SSE.

    pip install "seamline[server]"        # FastAPI and uvicorn
    python examples/service.py            # or: uvicorn examples.service:app
    curl -X POST localhost:8000/describe -H 'content-type: application/json' \
        -d '{"product": "Turtle Check Men Navy Blue Shirt"}'
    curl -N -X POST localhost:8000/describe -H 'accept: text/event-stream' \
        -H 'content-type: application/json' -d '{"product": "Turtle Check Men Navy Blue Shirt"}'
    curl localhost:8000/runs/RUN_ID

POST /describe answers with the result (JSON), or, when the request accepts text/event-stream, with the
run's typed events as Server-Sent Events, the last one the result. POST /check is the critic alone.
GET /runs/{id} gives a run's state, and its result once it has one. One Agent serves every request:
the model loads once, and each run goes on in a thread of its own while the event loop serves others.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field

from seamline import Agent, CheckResult, DescribeResult, Evidence, check
from seamline.errors import RunStoreError, SeamlineError
from seamline.events import to_sse


class DescribeRequest(BaseModel):
    """What to describe."""

    product: str = Field(description="The product name, e.g. 'Turtle Check Men Navy Blue Shirt'.")


class CheckRequest(BaseModel):
    """A description to audit against the evidence given."""

    description: str
    evidence: list[Evidence]
    product: str | None = None


class RunState(BaseModel):
    """A run as the run store has it."""

    run_id: str
    product: str
    task: str
    state: str = Field(description="running, interrupted, failed, complete or stopped.")
    result: dict[str, Any] | None = Field(None, description="The result, once the run has finished.")


def create_app(agent: Agent | None = None) -> FastAPI:
    """The service around one Agent (by default configured from SEAMLINE_* and the config file)."""
    served = agent or Agent()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        served.close()

    app = FastAPI(title="Seamline", lifespan=lifespan)

    @app.exception_handler(SeamlineError)
    async def seamline_error(request: Request, exc: SeamlineError) -> JSONResponse:
        status = 404 if isinstance(exc, RunStoreError) else 400 if exc.exit_code == 2 else 500
        return JSONResponse({"error": type(exc).__name__, "message": str(exc)}, status_code=status)

    @app.post("/describe", response_model=DescribeResult)
    async def describe(body: DescribeRequest, request: Request) -> Any:
        if "text/event-stream" in request.headers.get("accept", ""):
            events = served.astream(f"describe {body.product}")  # a bad name is a 400 here, before streaming
            return StreamingResponse((to_sse(e) async for e in events), media_type="text/event-stream")
        return await served.adescribe(body.product)

    @app.post("/check", response_model=CheckResult)
    def audit(body: CheckRequest) -> CheckResult:
        return check(body.description, body.evidence, product=body.product)

    @app.get("/runs/{run_id}", response_model=RunState)
    def run(run_id: str) -> RunState:
        summary, _options, result_json = served.runs.get(run_id)
        result = json.loads(result_json) if result_json else None
        return RunState(**summary.model_dump(include={"run_id", "product", "task", "state"}), result=result)

    return app


app = create_app()


if __name__ == "__main__":
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    uvicorn.run(app, host=args.host, port=args.port)
