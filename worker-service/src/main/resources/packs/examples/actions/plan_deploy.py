#!/usr/bin/env python3
"""examples.plan_deploy: the first task of examples.deploy_with_approval. Plans a rolling deployment of a service
version and returns the plan for the approvers to read. Parameters: service, version (required), target (default
production). Changes nothing anywhere."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from workflow_action import run, short_id, string  # noqa: E402


def plan(params):
    service = string(params, "service")
    version = string(params, "version")
    target = string(params, "target", "production")
    steps = [
        f"Run pre-deployment checks against {target}",
        f"Roll out {service} {version} to {target}, 25% of instances at a time",
        "Watch health checks and error rates for 10 minutes after each step",
        "Roll back to the previous version if the error rate rises",
    ]
    return {
        "plan_id": short_id("plan", service, version, target),
        "summary": f"rolling update of {service} to {version} on {target} in 4 steps",
        "service": service,
        "version": version,
        "target": target,
        "steps": steps,
    }


if __name__ == "__main__":
    sys.exit(run(plan))
