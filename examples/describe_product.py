"""Describe one product from Python and print the claim ledger.

python examples/describe_product.py "Turtle Check Men Navy Blue Shirt"
python examples/describe_product.py "Nike Men Navy Blue T-Shirts" --search local:pages.jsonl
"""

from __future__ import annotations

import argparse

from seamline import Agent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("product")
    parser.add_argument("--search", default="auto", help="auto, web, local:PATH or none")
    args = parser.parse_args()

    with Agent(search=args.search) as agent:
        result = agent.describe(args.product)

    print(result.description, end="\n\n")
    for claim in result.claims:
        print(f"kept     {claim.category:<10} {claim.text!r:<30} evidence: {', '.join(claim.evidence_ids)}")
    for claim in result.removed:
        print(f"removed  {claim.category:<10} {claim.text!r:<30} {claim.verdict}: {claim.reason}")
    print(f"\nrun {result.run_id}: {result.status.state}, {result.timings.get('total', 0):.1f}s")


if __name__ == "__main__":
    main()
