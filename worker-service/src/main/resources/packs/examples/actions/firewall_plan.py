#!/usr/bin/env python3
"""examples.firewall_plan: the first task of examples.firewall_change. Checks proposed firewall rules and rates
their impact (high when a rule opens a port to 0.0.0.0/0 or touches ssh/rdp). Parameters: rules (required, a list of
{"action": "allow"|"deny", "port": int, "source": cidr})."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from workflow_action import ParameterError, run, short_id  # noqa: E402

SENSITIVE_PORTS = {22: "ssh", 3389: "rdp", 5432: "postgres"}


def analyze(params):
    rules = params.get("rules")
    if not isinstance(rules, list) or not rules or not all(isinstance(r, dict) for r in rules):
        raise ParameterError("parameter rules must be a non-empty list of objects")
    findings = []
    for index, rule in enumerate(rules):
        port, source = rule.get("port"), rule.get("source", "0.0.0.0/0")
        if rule.get("action", "allow") == "allow" and source == "0.0.0.0/0":
            findings.append({"rule": index, "issue": f"opens port {port} to the whole internet"})
        if port in SENSITIVE_PORTS:
            findings.append({"rule": index, "issue": f"touches {SENSITIVE_PORTS[port]} (port {port})"})
    severity = "high" if findings else "low"
    return {
        "change_id": short_id("fw", rules),
        "impact": {"severity": severity, "findings": findings, "rules": len(rules)},
        "proposed_rules": rules,
    }


if __name__ == "__main__":
    sys.exit(run(analyze))
