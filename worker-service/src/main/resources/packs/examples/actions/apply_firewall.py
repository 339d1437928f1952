#!/usr/bin/env python3
"""examples.apply_firewall: the last task of examples.firewall_change, reached only with both approvals. Returns
the change record: which rules were applied under which change id, approved by whom. Parameters: change_id, rules
(required), approved_by (list of identity ids)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from workflow_action import ParameterError, now, run, string  # noqa: E402


def apply(params):
    change_id = string(params, "change_id")
    rules = params.get("rules")
    if not isinstance(rules, list):
        raise ParameterError("parameter rules must be a list")
    approved_by = params.get("approved_by") or []
    return {
        "change": {
            "id": change_id,
            "status": "applied",
            "rules_applied": len(rules),
            "approved_by": approved_by,
            "applied_at": now(),
        }
    }


if __name__ == "__main__":
    sys.exit(run(apply))
