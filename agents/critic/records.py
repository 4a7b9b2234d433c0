"""Auditing existing descriptions: records of description and evidence read from JSON or JSONL."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from seamline.errors import EvidenceError
from seamline.results import CheckResult


class CheckedRecord(CheckResult):
    """The critic's result for one record of a file, with the record's product name."""

    product: str | None = None


def read_records(path: Path) -> list[dict[str, Any]]:
    """Records from a JSON file (an object or a list of them) or a JSONL file (one object a line)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise EvidenceError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EvidenceError(f"{path} is not UTF-8 text (byte {exc.start}); re-encode it as UTF-8") from exc
    if not text.strip():
        raise EvidenceError(f"{path} is empty; expected JSON or JSONL records with description and evidence")
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        data = None
        records = []
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise EvidenceError(
                    f"{path} line {number} is not JSON ({exc.msg}); expected JSON or JSONL"
                ) from exc
        data = records
    items = [data] if isinstance(data, Mapping) else data
    if not isinstance(items, list):
        raise EvidenceError(f"{path} must hold an object or a list of objects, not {type(data).__name__}")
    for i, item in enumerate(items, 1):
        if not isinstance(item, Mapping):
            raise EvidenceError(f"record {i} of {path} is not an object")
    return [dict(item) for item in items]


def check_records(records: Iterable[Mapping[str, Any]]) -> list[CheckedRecord]:
    """Run the critic on each record {"product", "description", "evidence"}."""
    from seamline.agents.critic import check

    out = []
    for i, record in enumerate(records, 1):
        description = record.get("description", "")
        if description is None:
            description = ""
        if not isinstance(description, str):
            raise EvidenceError(f"record {i}: 'description' must be a string")
        product = record.get("product")
        if product is not None and not isinstance(product, str):
            raise EvidenceError(f"record {i}: 'product' must be a string")
        try:
            result = check(description, record.get("evidence") or [], product=product)
        except EvidenceError as exc:
            raise EvidenceError(f"record {i}: {exc}") from exc
        out.append(CheckedRecord(product=product, **result.model_dump()))
    return out
