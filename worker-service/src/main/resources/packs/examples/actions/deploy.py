#!/usr/bin/env python3
"""examples.deploy: the task an approval leads to in examples.deploy_with_approval. Returns the deployment record
(what a real deployment tool would report): which service and version went where, under which plan, approved by
whom, when. Parameters: service, version, plan_id (required), target (default production), approved_by."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from workflow_action import now, run, short_id, string  # noqa: E402


def deploy(params):
    service = string(params, "service")
    version = string(params, "version")
    plan_id = string(params, "plan_id")
    target = string(params, "target", "production")
    return {
        "deployment": {
            "id": short_id("dep", service, version, target, plan_id),
            "service": service,
            "version": version,
            "target": target,
            "plan_id": plan_id,
            "approved_by": params.get("approved_by"),
            "status": "deployed",
            "deployed_at": now(),
        }
    }


if __name__ == "__main__":
    sys.exit(run(deploy))
