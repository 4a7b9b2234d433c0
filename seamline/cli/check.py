"""`agent check` (the critic alone, for auditing descriptions) and `agent eval critic`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from seamline.cli.common import (
    JsonOpt,
    VerboseOpt,
    err,
    errors_to_exit,
    out,
    print_json,
    progress_bar,
    setup_logging,
)
from seamline.errors import UsageError

FileArg = Annotated[
    Path,
    typer.Argument(
        help='JSON or JSONL records {"product": ..., "description": ..., "evidence": [{"id", "source", '
        '"text", "about_product"}]}.',
        show_default=False,
    ),
]


def check(file: FileArg, json_output: JsonOpt = False, verbose: VerboseOpt = False) -> None:
    """Check descriptions a catalog already has: strip every claim their evidence does not support."""
    setup_logging(verbose)
    with errors_to_exit(verbose):
        from seamline.agents.critic.records import check_records, read_records

        results = check_records(read_records(file))
        if json_output:
            print_json(results)
            return
        for i, result in enumerate(results):
            if i:
                out.print()
            out.print(f"[bold]{result.product or f'record {i + 1}'}[/]")
            if result.description:
                out.print(result.description, markup=False)
            else:
                out.print("[dim](nothing left)[/]")
            kept = len(result.claims)
            out.print(f"[dim]{kept} claim(s) supported, {len(result.removed)} removed[/]")
            for claim in result.removed:
                out.print(
                    f"  - {claim.category} {claim.value!r} ({claim.verdict}: {claim.reason})", markup=False
                )
            for warning in result.warnings:
                err.print(f"[yellow]warning:[/] {warning}")


def _read_drafts(path: Path) -> dict[str, str]:
    """Drafts as product id -> text, from a JSON object or JSONL lines {"id": ..., "draft": ...}."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read drafts file {path}: {exc}") from exc
    try:
        data = json.loads(text)
        if isinstance(data, dict):
            return {str(k): str(v) for k, v in data.items()}
        rows = data
    except json.JSONDecodeError:
        try:
            rows = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as exc:
            raise UsageError(f"drafts file {path} is neither JSON nor JSONL: {exc.msg}") from exc
    if not isinstance(rows, list) or not all(isinstance(r, dict) and "id" in r for r in rows):
        raise UsageError(
            f'drafts file {path} must map ids to drafts, or hold {{"id": ..., "draft": ...}} lines'
        )
    return {str(r["id"]): str(r.get("draft") or r.get("description") or "") for r in rows}


def eval_critic(
    limit: Annotated[int | None, typer.Option(help="Only the first N products of the split.")] = None,
    seed: Annotated[int, typer.Option(help="Seed of the planted descriptions.")] = 0,
    split: Annotated[str, typer.Option(help="Split to measure on (dev splits only).")] = "myntra_dev",
    drafts: Annotated[
        Path | None, typer.Option(help='Real drafts to measure before/after: {"id": draft} or JSONL lines.')
    ] = None,
    style: Annotated[
        str,
        typer.Option(
            help="planted: descriptions written for the test; human: one claim planted in each supported "
            "sentence of the real copy; audit: the real copy checked against its record."
        ),
    ] = "planted",
    json_output: JsonOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Measure the critic on dev products: planted false attributes removed, supported ones kept."""
    setup_logging(verbose)
    with errors_to_exit(verbose):
        if split == "myntra_train":
            raise UsageError("measure on a dev split (myntra_dev), not on training ids")
        if style not in ("planted", "human", "audit"):
            raise UsageError(f"unknown --style {style!r}; use planted, human or audit")
        if style != "planted":
            _eval_real_copy(style, split, limit, seed, json_output)
            return

        from seamline.evaluation.critic_eval import run_critic_eval

        draft_map = _read_drafts(drafts) if drafts is not None else None
        with progress_bar() as bar:
            task = bar.add_task("checking", total=None)
            report = run_critic_eval(
                split=split,
                limit=limit,
                seed=seed,
                drafts=draft_map,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
        if json_output:
            print_json(report)
            return
        out.print(f"critic on {report.products} {report.split} products (seed {report.seed})")
        out.print(f"  planted false claims removed (recall): {report.recall:.4f} of {report.planted}")
        out.print(f"  removals that were planted (precision): {report.precision:.4f} of {report.removals}")
        out.print(f"  supported statements kept (retention): {report.retention:.4f} of {report.supported}")
        out.print(
            f"  outputs with no new grammar problem: {report.grammatical:.4f} {report.grammar_problems or ''}"
        )
        ms = report.ms_per_description
        out.print(
            f"  critic ms per description: mean {ms.get('mean')} p50 {ms.get('p50')} p95 {ms.get('p95')}"
        )
        for row in report.per_type:
            out.print(f"    {row.error_type:<22} recall {row.recall:.4f} ({row.removed}/{row.planted})")
        if report.drafts is not None:
            d = report.drafts
            out.print(
                f"  real drafts ({d.drafts}): unsupported attribute rate {d.rate_before:.4f} before, "
                f"{d.rate_after:.4f} after the critic"
            )
        else:
            out.print(f"  {report.drafts_message}")


def _eval_real_copy(style: str, split: str, limit: int | None, seed: int, json_output: bool) -> None:
    """`agent eval critic --style human|audit`: the critic on the dev products' own catalog copy."""
    from seamline.evaluation.critic_human import run_audit, run_human_eval

    with progress_bar() as bar:
        task = bar.add_task("checking", total=None)

        def step(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        if style == "audit":
            audit = run_audit(split=split, limit=limit or 300, progress=step)
        else:
            human = run_human_eval(split=split, limit=limit, seed=seed, progress=step)
    if json_output:
        print_json(audit if style == "audit" else human)
    elif style == "audit":
        out.print(f"agent check on {audit.descriptions} real {split} descriptions against their own records")
        out.print(f"  mentions removed: {audit.removed} of {audit.mentions}")
        out.print(f"  supported mentions kept: {audit.supported_kept} of {audit.supported}")
        out.print(f"  input sentences lost whole: {audit.sentences_lost}")
        out.print(
            f"  edited sentences left broken: {audit.broken} of {audit.sentences} output sentences "
            f"({audit.broken_rate:.2%}; target <= 2%); {audit.edited} edited"
        )
    else:
        out.print(f"critic on {human.sentences} planted real sentences of {human.products} {split} products")
        out.print(f"  planted claims removed (recall): {human.recall:.4f}  {human.per_kind}")
        out.print(f"  removals that were planted (precision): {human.precision:.4f} of {human.removals}")
        out.print(f"  supported mentions kept (retention): {human.retention:.4f} of {human.supported}")
        out.print(
            f"  outputs that parse with no new problem: {human.grammatical:.4f} {human.grammar_problems}"
        )
        w = human.words_removed
        out.print(
            f"  words removed per planted claim: median {w.get('median')} p90 {w.get('p90')} "
            f"mean {w.get('mean')}; sentences dropped whole {human.sentences_dropped:.2%}"
        )
