"""`agent batch` and seamline.batch: inputs checked first, one synced line per product, resumable."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

from seamline.api import Agent
from seamline.batch import done_keys, parse_shard, read_products, run_batch
from seamline.cli import app
from seamline.errors import BackendError, ModelError, SeamlineError, UsageError
from seamline.llm import FakeLLM, GenerationParams, Message
from seamline.llm.base import Generation
from seamline.results import DescribeResult, RunStatus

OFFLINE = {"backend": "fake", "search": "none", "knowledge": "none"}
NAMES = (
    "Turtle Check Men Navy Blue Shirt\n# a comment\n\nNike Men Red Polo T-shirt\nPuma Women Black Leggings\n"
)


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def names(tmp_path: Path) -> Path:
    path = tmp_path / "names.txt"
    path.write_text(NAMES, encoding="utf-8")
    return path


def test_every_product_becomes_one_line_with_its_ledger(names: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with Agent(**OFFLINE) as agent:
        report = agent.batch(names, out)
    assert (report.products, report.described, report.failed, report.already_done) == (3, 3, 0, 0)
    rows = lines(out)
    assert [(r["key"], r["product"]) for r in rows] == [
        ("line 1", "Turtle Check Men Navy Blue Shirt"),
        ("line 4", "Nike Men Red Polo T-shirt"),
        ("line 5", "Puma Women Black Leggings"),
    ]
    assert rows[0]["description"] == "Navy blue checked shirt for men."
    assert {c["value"] for c in rows[0]["claims"]} == {"navy blue", "checked", "men"}
    assert all(r["status"]["state"] == "complete" and r["run_id"] for r in rows)


def test_a_rerun_skips_what_is_done_and_redoes_a_line_a_crash_cut_short(names: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with Agent(**OFFLINE) as agent:
        run_batch(agent, names, out)
        whole = out.read_bytes()
        # A crash while writing the last product: its line is cut short.
        out.write_bytes(whole[: whole.rindex(b'{"key"')] + b'{"key": "line 5", "run_id": "2026')
        report = run_batch(agent, names, out)
    assert (report.already_done, report.described) == (2, 1)
    rows = lines(out)
    assert [r["key"] for r in rows] == ["line 1", "line 4", "line 5"]
    # Cut just before its newline, the last line is whole JSON but still written again.
    out.write_bytes(out.read_bytes()[:-1])
    with Agent(**OFFLINE) as agent:
        assert run_batch(agent, names, out).described == 1
    assert [r["key"] for r in lines(out)] == ["line 1", "line 4", "line 5"]


def test_failed_runs_are_tried_again(names: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    failed = DescribeResult(run_id="r1", product="x", description="", status=RunStatus(state="failed"))
    out.write_text(json.dumps({"key": "line 1", "line": 1, **failed.model_dump(mode="json")}) + "\n")
    assert done_keys(out) == set()
    with Agent(**OFFLINE) as agent:
        report = run_batch(agent, names, out)
    assert (report.already_done, report.described) == (0, 3)


def test_catalog_rows_are_keyed_by_their_ids(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog.csv"
    catalog.write_text(
        "id,productDisplayName,baseColour\n7,Blue Shirt,Blue\n7,Red Dress,Red\n9,Grey Tee,Grey\n"
    )
    items, invalid = read_products(catalog)
    assert [(i.key, i.line, i.product) for i in items] == [
        ("7", 2, "Blue Shirt"),
        ("7 (line 3)", 3, "Red Dress"),
        ("9", 4, "Grey Tee"),
    ]
    assert invalid == []


def test_jsonl_catalog_names_are_read(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog.jsonl"
    catalog.write_text('{"article_id": "A1", "prod_name": "Strap top"}\n{"name": "Linen Shirt"}\n')
    items, _ = read_products(catalog)
    assert [(i.key, i.product) for i in items] == [("A1", "Strap top"), ("line 2", "Linen Shirt")]


@pytest.mark.parametrize(
    ("content", "suffix", "message"),
    [
        ("id,productDisplayName\n1,Blue Shirt\n2,\n", ".csv", r"catalog\.csv:3: no product name"),
        ('{"name": "Blue Shirt"}\nnot json\n', ".jsonl", r"catalog\.jsonl:2: not valid JSON"),
        ("Blue Shirt\n" + "x" * 600 + "\n", ".txt", r"catalog\.txt:2: the product name is 600 characters"),
        ("# only a comment\n\n", ".txt", "holds no product names"),
    ],
)
def test_bad_rows_stop_the_batch_before_anything_runs(
    tmp_path: Path, content: str, suffix: str, message: str
) -> None:
    source = tmp_path / f"catalog{suffix}"
    source.write_text(content, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    with Agent(**OFFLINE) as agent, pytest.raises(UsageError, match=message):
        run_batch(agent, source, out)
    assert not out.exists()


def test_bad_rows_can_be_skipped_and_are_reported(tmp_path: Path) -> None:
    source = tmp_path / "catalog.csv"
    source.write_text("id,productDisplayName\n1,Blue Shirt\n2,\n")
    with Agent(**OFFLINE) as agent:
        report = run_batch(agent, source, tmp_path / "out.jsonl", skip_invalid=True)
    assert report.described == 1
    assert len(report.invalid) == 1 and report.invalid[0].endswith("catalog.csv:3: no product name")


def test_shards_split_the_products_without_overlap(names: Path) -> None:
    items, _ = read_products(names)
    shards = [items[k::2] for k in range(2)]
    assert sorted(i.key for s in shards for i in s) == sorted(i.key for i in items)
    assert parse_shard("1/2") == (1, 2)
    for bad in ("2/2", "1", "a/b", "0/0"):
        with pytest.raises(UsageError, match="--shard"):
            parse_shard(bad)


class BrokenAgent:
    """Describes the first product, then its model fails as a missing model file would."""

    def __init__(self) -> None:
        self.calls = 0

    def describe(self, product: str) -> DescribeResult:
        self.calls += 1
        if self.calls > 1:
            raise ModelError("model file /models/x.gguf not found; pass --model")
        return DescribeResult(run_id="r1", product=product, description="A shirt.")


def test_an_error_stops_the_batch_and_keeps_what_was_written(names: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with pytest.raises(
        SeamlineError, match=r"model file .* not found; pass --model; 1 product\(s\) written"
    ) as e:
        run_batch(BrokenAgent(), names, out)
    assert e.value.exit_code == ModelError.exit_code
    assert [r["key"] for r in lines(out)] == ["line 1"]


def test_the_output_must_be_a_batch_output(names: Path, tmp_path: Path) -> None:
    out = tmp_path / "notes.jsonl"
    out.write_text('{"some": "thing"}\n')
    with pytest.raises(UsageError, match="not a batch output"):
        run_batch(BrokenAgent(), names, out)
    with pytest.raises(UsageError, match="--out is the input file"):
        run_batch(BrokenAgent(), names, names)


def test_cli_batch_exit_codes_and_json(names: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    flags = ["--backend", "fake", "--search", "none", "--knowledge", "none"]
    runner = CliRunner()
    first = runner.invoke(app, ["batch", str(names), "--out", str(out), "--json", *flags])
    assert first.exit_code == 0, first.output
    report = json.loads(first.stdout)
    assert (report["products"], report["described"], report["already_done"]) == (3, 3, 0)
    again = runner.invoke(app, ["batch", str(names), "--out", str(out), *flags])
    assert again.exit_code == 0
    assert again.stdout.startswith("0 described, 0 failed, 3 already in")
    bad = tmp_path / "bad.csv"
    bad.write_text("id,productDisplayName\n1,\n")
    refused = runner.invoke(app, ["batch", str(bad), "--out", str(tmp_path / "b.jsonl"), *flags])
    assert refused.exit_code == 2
    assert "bad.csv:2: no product name; fix the rows or pass --skip-invalid" in refused.stderr
    assert not (tmp_path / "b.jsonl").exists()


class BatchingFake(FakeLLM):
    """A product's draft names it ('A navy blue shirt.'); records each batch's size; fails on 'Puma'."""

    def __init__(self) -> None:
        super().__init__()
        self.batches: list[int] = []

    def generate_batch(
        self, batch: Sequence[Sequence[Message]], params: GenerationParams
    ) -> list[Generation]:
        self.batches.append(len(batch))
        time.sleep(0.05)  # a decode: the other runs reach their drafts meanwhile
        if any("Puma" in m[-1]["content"] for m in batch):
            raise BackendError("endpoint http://127.0.0.1:8000/v1 timed out after 60s")
        return [Generation(text=_draft(m[-1]["content"])) for m in batch]

    def generate(self, messages: Sequence[Message], params: GenerationParams) -> Generation:
        return self.generate_batch([messages], params)[0]


def _draft(prompt: str) -> str:
    return "A navy blue shirt for men." if "Navy" in prompt else "A red polo t-shirt."


CATALOG = "".join(f"Turtle Check Men Navy Blue Shirt {i}\nNike Men Red Polo T-shirt {i}\n" for i in range(4))


def test_batched_drafts_give_the_sequential_results_in_input_order(tmp_path: Path) -> None:
    names = tmp_path / "names.txt"
    names.write_text(CATALOG, encoding="utf-8")
    results = {}
    for size in (1, 3):
        llm = BatchingFake()
        with Agent(llm=llm, search="none", knowledge="none", data_dir=str(tmp_path / "data")) as agent:
            report = agent.batch(names, tmp_path / f"out{size}.jsonl", batch_size=size)
        assert (report.described, report.failed) == (8, 0)
        results[size] = [(r["key"], r["description"]) for r in lines(tmp_path / f"out{size}.jsonl")]
        assert max(llm.batches) == size
    assert results[3] == results[1]
    assert [key for key, _ in results[3]] == [f"line {i}" for i in range(1, 9)]
    assert results[3][0][1].startswith("A navy blue shirt for men.")


@pytest.mark.parametrize("size", [1, 2])
def test_a_product_whose_generation_fails_fails_alone_with_its_reason(tmp_path: Path, size: int) -> None:
    names = tmp_path / "names.txt"
    names.write_text(
        "Turtle Check Men Navy Blue Shirt\nPuma Women Black Leggings\nNike Men Red Polo T-shirt\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    with Agent(llm=BatchingFake(), search="none", knowledge="none", data_dir=str(tmp_path / "d")) as agent:
        report = agent.batch(names, out, batch_size=size)
    rows = lines(out)
    assert [r["status"]["state"] for r in rows] == ["complete", "failed", "complete"]
    assert (report.described, report.failed) == (2, 1)
    puma = rows[1]
    assert puma["status"]["state"] == "failed"
    assert "timed out after 60s; rerun to retry" in puma["status"]["message"]
    assert done_keys(out) == {r["key"] for r in rows if r["status"]["state"] == "complete"}


def test_batch_size_must_be_one_or_more(names: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="--batch-size 0: give 1 or more"):
        run_batch(BrokenAgent(), names, tmp_path / "out.jsonl", batch_size=0)
