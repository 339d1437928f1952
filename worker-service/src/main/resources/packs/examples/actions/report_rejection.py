#!/usr/bin/env python3
"""examples.report_rejection: ends a workflow whose approval was refused. Returns the report a team would receive:
what was refused, by whom, with the reviewer's comments. Parameters: subject (required), review (the inquiry task's
result: {status, response, responded_by}), comments_field (which answer field holds the comments, default
"comments")."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from workflow_action import ParameterError, now, run, string  # noqa: E402


def report(params):
    subject = string(params, "subject")
    review = params.get("review") or {}
    if not isinstance(review, dict):
        raise ParameterError("parameter review must be an object")
    response = review.get("response") or {}
    field = string(params, "comments_field", "comments")
    comments = response.get(field) if isinstance(response, dict) else None
    status = review.get("status", "responded")
    outcome = "rejected" if status == "responded" else status
    text = f"{subject}: {outcome}"
    if comments:
        text += f" - \"{comments}\""
    return {
        "report": {
            "subject": subject,
            "outcome": outcome,
            "rejected_by": review.get("responded_by"),
            "comments": comments,
            "text": text,
            "reported_at": now(),
        }
    }


if __name__ == "__main__":
    sys.exit(run(report))
