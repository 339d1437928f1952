#!/usr/bin/env python3
"""examples.change_board: asks a change board to approve a change, through the inquiry template
examples.change_approval (packs/examples/inquiries/change_approval.yaml): two different people must approve, one
"no" rejects it at once, a reminder goes out every hour, and nobody deciding within a day rejects it by default.

Parameters: change (a string, required), risk (low, medium or high; default medium), description (a string).
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from workflow_action import ParameterError, run  # noqa: E402


def change_board(config):
    change = config.get("change")
    if not isinstance(change, str) or not change.strip():
        raise ParameterError("parameter change is required: a short name of the change")
    risk = config.get("risk", "medium")
    if risk not in ("low", "medium", "high"):
        raise ParameterError("parameter risk must be low, medium or high")
    description = config.get("description", "")
    if not isinstance(description, str):
        raise ParameterError("parameter description must be a string")
    inquiry = {"template": "examples.change_approval", "vars": {"change": change, "risk": risk}}
    if risk == "high":
        inquiry["approvals_required"] = 3  # inline fields override the template's
    return {"__inquiry": inquiry, "change": {"name": change, "risk": risk, "description": description}}


if __name__ == "__main__":
    sys.exit(run(change_board))
