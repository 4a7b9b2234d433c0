"""End-to-end evaluation on dev products (Myntra and H&M), the same as `agent eval e2e`.

python bench/e2e_eval.py [-n 100] [--retailer both|myntra|hm] [--backend fake] [--distractors N] [--json]
                         [--save report.json]

With --save the full report (every product's description, draft and scores) is written as JSON too.
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    """Run `agent eval e2e` with these arguments; --save PATH also writes the JSON report there."""
    from seamline.cli.evaluate import app

    save: Path | None = None
    if "--save" in argv:
        i = argv.index("--save")
        save = Path(argv[i + 1])
        argv = argv[:i] + argv[i + 2 :]
    if save is None:
        return _invoke(app, ["e2e", *argv])
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = _invoke(app, ["e2e", "--json", *[a for a in argv if a != "--json"]])
    save.write_text(buffer.getvalue(), encoding="utf-8")
    _print_summary(buffer.getvalue())
    return code


def _invoke(app: object, args: list[str]) -> int:
    try:
        app(args, standalone_mode=False)  # type: ignore[operator]
    except SystemExit as exc:  # typer.Exit with a code
        return int(exc.code or 0)
    except Exception as exc:  # click's Exit carries exit_code
        code = getattr(exc, "exit_code", None)
        if code is None:
            raise
        return int(code)
    return 0


def _print_summary(text: str) -> None:
    from seamline.evaluation.e2e import E2EReport

    report = E2EReport.model_validate_json(text)
    for r in report.retailers:
        print(
            f"{r.retailer}: {r.products} products; final unsupported {r.final.unsupported_rate:.4f} "
            f"coverage {r.final.coverage:.4f} (+details {r.final_details.coverage:.4f}); raw draft "
            f"unsupported {r.raw_draft.unsupported_rate:.4f} coverage {r.raw_draft.coverage:.4f}; "
            f"own page {r.own_page_found:.4f}; median {r.seconds.get('median')} s"
        )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
