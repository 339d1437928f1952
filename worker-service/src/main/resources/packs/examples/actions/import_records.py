#!/usr/bin/env python3
"""examples.import_records: the import itself in examples.guarded_import. Returns the import report: which
records were imported and which were left out as the reviewer asked. Parameters: records (required), exclude
(list of record ids to leave out). Imports nothing anywhere: this is an example."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from workflow_action import ParameterError, now, run  # noqa: E402


def import_records(params):
    records = params.get("records")
    if not isinstance(records, list):
        raise ParameterError("parameter records must be a list")
    exclude = params.get("exclude") or []
    if not isinstance(exclude, list):
        raise ParameterError("parameter exclude must be a list of record ids")
    excluded = set(exclude)
    imported = [r for r in records if not (isinstance(r, dict) and r.get("id") in excluded)]
    return {
        "import_report": {
            "received": len(records),
            "imported": len(imported),
            "imported_ids": [r.get("id") for r in imported if isinstance(r, dict)],
            "excluded_ids": sorted(excluded, key=str),
            "finished_at": now(),
        }
    }


if __name__ == "__main__":
    sys.exit(run(import_records))
