"""bench/gpu_drafter.py runs on a device machine; here its arguments and a tiny CPU config are checked."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "gpu_drafter.py"


def load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gpu_drafter", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_defaults_are_the_issue_batches() -> None:
    args = load().parse_args([])
    assert (args.device, args.batches, args.bandwidth_tbs, args.tiny) == ("cuda", [1, 8, 32, 64], 4.8, False)


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(SystemExit):
        load().parse_args(["--batches", "0,8"])


def test_seven_b_shape_has_seven_billion_parameters() -> None:
    shape = load().SEVEN_B
    h, f, n, v = (
        shape["hidden_size"],
        shape["intermediate_size"],
        shape["num_hidden_layers"],
        shape["vocab_size"],
    )
    params = n * (4 * h * h + 3 * h * f + 2 * h) + 2 * v * h + h
    assert 6.7e9 < params < 6.8e9


def test_tiny_cpu_run_reports_every_number(capsys: pytest.CaptureFixture[str]) -> None:
    result = load().main(
        ["--tiny", "--device", "cpu", "--new-tokens", "4", "--prompt-tokens", "8", "--batches", "1,2"]
    )
    assert result["config"] == "tiny" and set(result["batched_tok_s"]) == {1, 2}
    assert result["single_stream_tok_s"] > 0 and result["bandwidth_limit_tok_s"] > 0
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("gpu_decode_vs_bandwidth=")
