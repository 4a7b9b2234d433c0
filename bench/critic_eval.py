"""Critic evaluation on the dev products: prints recall, precision, retention, grammar and time.

python bench/critic_eval.py [--limit N] [--seed S] [--drafts drafts.jsonl] [--json]
"""

from __future__ import annotations

import argparse
import sys

from seamline.errors import SeamlineError


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--drafts", default=None, help="real drafts: JSON {id: draft} or JSONL {id, draft}")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--misses", type=int, default=0, help="print this many failures to read")
    args = parser.parse_args()

    from pathlib import Path

    from seamline.cli.check import _read_drafts
    from seamline.evaluation.critic_eval import run_critic_eval

    try:
        drafts = _read_drafts(Path(args.drafts)) if args.drafts else None
        report = run_critic_eval(limit=args.limit, seed=args.seed, drafts=drafts)
    except SeamlineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(report.model_dump_json(indent=2))
        return 0
    print(f"critic evaluation: {report.products} {report.split} products, seed {report.seed}")
    print(f"{'error type':<22} {'planted':>7} {'removed':>7} {'recall':>7}")
    for row in report.per_type:
        print(f"{row.error_type:<22} {row.planted:>7} {row.removed:>7} {row.recall:>7.4f}")
    print(f"{'all planted':<22} {report.planted:>7} {'':>7} {report.recall:>7.4f}   (target >= 0.97)")
    print(f"precision of removals   {report.precision:.4f} of {report.removals} removals   (target >= 0.95)")
    print(f"supported kept          {report.retention:.4f} of {report.supported}   (target >= 0.97)")
    print(
        f"grammatical outputs     {report.grammatical:.4f}  new problems: {report.grammar_problems or 'none'}"
    )
    ms = report.ms_per_description
    print(f"critic ms per description: mean {ms['mean']}  p50 {ms['p50']}  p95 {ms['p95']}  max {ms['max']}")
    rc = report.ms_recheck
    print(f"critic ms, evidence read before (revise): mean {rc['mean']}  p50 {rc['p50']}  p95 {rc['p95']}")
    if report.drafts is not None:
        d = report.drafts
        print(
            f"real drafts: {d.drafts}; unsupported attribute rate {d.rate_before:.4f} -> {d.rate_after:.4f}"
        )
    else:
        print(report.drafts_message)
    for miss in report.misses[: args.misses]:
        print(f"\n[{miss.kind}] {miss.product_id}: {miss.what}\n  in : {miss.text}\n  out: {miss.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
