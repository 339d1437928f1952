#!/usr/bin/env python3
"""examples.deploy_approval_python: the seed's Python deployment approval, made runnable.

The seed's action returns an ``__inquiry`` asking a person to approve a deployment, with the deployment plan as
context. Here the worker passes the parameters as JSON on stdin and reads the result from stdout.

Parameters (all optional): service, version, target (strings), changes (list of strings). Who must answer is the
pack's setting deploy_approver_id (settings.json, the operator's), never the requester's choice. The result is the
same as deploy_approval.sh's and deploy_approval_js.js's.
"""
import json
import os
import sys


class ParameterError(Exception):
    pass


def string_param(config, name, default):
    value = config.get(name)
    if value is None:
        return default
    if not isinstance(value, str):
        raise ParameterError(f"parameter {name} must be a string")
    return value


def strings_param(config, name):
    value = config.get(name)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ParameterError(f"parameter {name} must be an array of strings")
    return value


def no_param(config, name, why):
    if config.get(name) is not None:
        raise ParameterError(f"parameter {name} is not taken: {why}")


def setting_id(name):
    """Identity id NAME from the pack's settings.json (next to actions/), None when absent or null."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "settings.json")
    try:
        with open(path, encoding="utf-8") as file:
            settings = json.load(file)
    except FileNotFoundError:
        return None
    if not isinstance(settings, dict):
        raise ParameterError("the pack's settings.json must be a JSON object")
    value = settings.get(name)
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 10**15:
        return value
    raise ParameterError(f"setting {name} in the pack's settings.json must be an identity id (an integer)")


def prepare_deployment(config):
    service = string_param(config, "service", "api-service")
    version = string_param(config, "version", "v2.5.0")
    target = string_param(config, "target", "production")
    release = version if version.startswith("v") else f"v{version}"
    return {
        "service": service,
        "version": version,
        "target": target,
        "strategy": "rolling",
        "changes": strings_param(config, "changes"),
        "steps": [
            f"Run pre-deployment checks against {target}",
            f"Roll out {service} {release} to {target}, 25% of instances at a time",
            "Watch health checks and error rates for 10 minutes after each step",
            "Roll back to the previous version if the error rate rises",
        ],
    }


def run(config):
    no_param(config, "approver_id", "the approver is the pack's setting deploy_approver_id (settings.json)")
    # Prepare the deployment
    plan = prepare_deployment(config)
    service, target = plan["service"], plan["target"]
    release = plan["version"] if plan["version"].startswith("v") else f"v{plan['version']}"

    # Request approval
    inquiry = {
        "prompt": f"Approve deployment of {service} {release} to {target}?",
        "response_schema": {
            "type": "object",
            "title": "Deployment approval",
            "description": f"Deploy {service} {release} to {target}",
            "properties": {
                "approved": {
                    "type": "boolean",
                    "title": "Approve this deployment",
                    "description": f"Yes deploys {service} {release} to {target}; no stops it",
                },
                "rollback_plan": {
                    "type": "string",
                    "title": "Rollback plan",
                    "description": "How to roll back if the deployment misbehaves (optional)",
                },
                "comments": {
                    "type": "string",
                    "title": "Comments",
                    "description": "Anything the team should know about this decision (optional)",
                },
            },
            "required": ["approved"],
        },
        "timeout_seconds": 1800,  # 30 minutes
    }
    approver = setting_id("deploy_approver_id")
    if approver is not None:
        inquiry["assigned_to"] = approver
    return {"__inquiry": inquiry, "deployment_plan": plan}


def main():
    text = sys.stdin.buffer.read().decode("utf-8")
    config = json.loads(text) if text.strip() else {}
    if not isinstance(config, dict):
        print("the parameters on stdin must be a JSON object", file=sys.stderr)
        return 2
    try:
        result = run(config)
    except ParameterError as e:
        print(e, file=sys.stderr)
        return 2
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
