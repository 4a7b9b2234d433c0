"""Seamline: grounded fashion product descriptions with a ledger of every claim and its evidence.

>>> from seamline import Agent
>>> result = Agent().describe("Turtle Check Men Navy Blue Shirt")
>>> result.description, result.claims, result.removed, result.evidence
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from seamline.api import Agent, ApprovalRequired, check, parse_task
from seamline.compete_results import CompetitorReport
from seamline.config import Settings
from seamline.errors import SeamlineError
from seamline.results import (
    Action,
    CheckResult,
    Claim,
    DescribeResult,
    Detail,
    Evidence,
    RunStatus,
    Step,
    Usage,
)

try:
    __version__ = version("seamline")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"

__all__ = [
    "Action",
    "Agent",
    "ApprovalRequired",
    "CheckResult",
    "Claim",
    "CompetitorReport",
    "DescribeResult",
    "Detail",
    "Evidence",
    "RunStatus",
    "SeamlineError",
    "Settings",
    "Step",
    "Usage",
    "__version__",
    "check",
    "parse_task",
]
