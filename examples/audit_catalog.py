"""Audit descriptions a catalog already has: strip every claim its own record does not support.

    python examples/audit_catalog.py

Uses the critic alone (no model, no search): evidence is the product's record.
"""

from __future__ import annotations

from seamline import Evidence, check

RECORD = Evidence(
    id="catalog:15970",
    source="catalog",
    title="Turtle Check Men Navy Blue Shirt",
    text="Fabric: Cotton\nPattern: Checked\nSleeve Length: Long Sleeves\nCollar: Spread Collar\n"
    "Fit: Slim Fit",
    about_product=True,
)

DESCRIPTION = (
    "A navy blue checked shirt for men in 100% organic cotton, with long sleeves and a button-down "
    "collar. Waterproof and made in Italy, it is a timeless choice."
)

result = check(DESCRIPTION, [RECORD], product="Turtle Check Men Navy Blue Shirt")
print(result.description, end="\n\n")
for claim in result.removed:
    print(f"removed {claim.category}: {claim.text!r} ({claim.verdict})")
