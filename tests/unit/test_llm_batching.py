"""BatchingLLM: concurrent runs' drafts decoded together, each run getting its own reply or error."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

import pytest

from seamline.errors import BackendError
from seamline.llm import FakeLLM, GenerationParams, Message
from seamline.llm.base import Generation
from seamline.llm.batching import BatchingLLM

PARAMS = GenerationParams(temperature=0.0)


class Recording(FakeLLM):
    """Replies with the user message upper-cased; records the size of every batch it decoded."""

    def __init__(self, *, fail_on: str | None = None) -> None:
        super().__init__()
        self.batches: list[int] = []
        self.fail_on = fail_on

    def generate_batch(
        self, batch: Sequence[Sequence[Message]], params: GenerationParams
    ) -> list[Generation]:
        self.batches.append(len(batch))
        if self.fail_on and any(self.fail_on in m[-1]["content"] for m in batch):
            raise BackendError("the endpoint timed out")
        time.sleep(0.05)
        return [Generation(text=m[-1]["content"].upper()) for m in batch]

    def generate(self, messages: Sequence[Message], params: GenerationParams) -> Generation:
        return self.generate_batch([messages], params)[0]


def ask(
    drafter: BatchingLLM,
    text: str,
    replies: dict[str, object],
    *,
    research: float = 0.0,
    registered: threading.Barrier | None = None,
) -> None:
    with drafter.caller():
        if registered is not None:
            registered.wait()
        time.sleep(research)
        try:
            replies[text] = drafter.generate([{"role": "user", "content": text}], PARAMS).text
        except BackendError as exc:
            replies[text] = exc


def run_all(drafter: BatchingLLM, texts: list[str]) -> dict[str, object]:
    replies: dict[str, object] = {}
    registered = threading.Barrier(len(texts))
    threads = [
        threading.Thread(target=ask, args=(drafter, t, replies), kwargs={"registered": registered})
        for t in texts
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return replies


def test_registered_runs_are_decoded_together_each_getting_its_own_reply() -> None:
    inner = Recording()
    drafter = BatchingLLM(inner, max_batch=4)
    try:
        # Runs that research for different times still meet: the batch waits for every registered run.
        replies: dict[str, object] = {}
        registered = threading.Barrier(4)
        threads = [
            threading.Thread(
                target=ask,
                args=(drafter, f"shirt {i}", replies),
                kwargs={"research": 0.05 * i, "registered": registered},
            )
            for i in range(4)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        drafter.close()
    assert replies == {f"shirt {i}": f"SHIRT {i}" for i in range(4)}
    assert inner.batches == [4]


def test_batches_hold_at_most_max_batch() -> None:
    inner = Recording()
    drafter = BatchingLLM(inner, max_batch=3)
    try:
        replies = run_all(drafter, [f"dress {i}" for i in range(7)])
    finally:
        drafter.close()
    assert len(replies) == 7 and all(replies[k] == k.upper() for k in replies)
    assert max(inner.batches) == 3 and sum(inner.batches) == 7


def test_a_failing_call_fails_alone_after_its_batch_is_decoded_one_by_one() -> None:
    inner = Recording(fail_on="bad")
    drafter = BatchingLLM(inner, max_batch=2)
    try:
        replies = run_all(drafter, ["bad shirt", "good shirt"])
        later = run_all(drafter, ["fine dress"])
    finally:
        drafter.close()
    assert isinstance(replies["bad shirt"], BackendError)
    assert replies["good shirt"] == "GOOD SHIRT"
    assert later == {"fine dress": "FINE DRESS"}
    assert inner.batches == [2, 1, 1, 1]


def test_json_calls_and_streams_go_straight_to_the_model() -> None:
    inner = FakeLLM(default='{"actions": []}')
    drafter = BatchingLLM(inner, max_batch=4)
    try:
        with drafter.caller():
            json_params = GenerationParams(json_schema={"type": "object"})
            plan = drafter.generate([{"role": "user", "content": "plan"}], json_params)
            streamed = "".join(drafter.stream([{"role": "user", "content": "x"}], PARAMS))
    finally:
        drafter.close()
    assert plan.text == streamed == '{"actions": []}'
    assert drafter.sizes == {}


def test_a_closed_drafter_refuses_calls() -> None:
    drafter = BatchingLLM(FakeLLM(), max_batch=2)
    drafter.close()
    with pytest.raises(RuntimeError, match="closed"):
        drafter.generate([{"role": "user", "content": "x"}], PARAMS)
