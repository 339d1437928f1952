#!/usr/bin/env python3
"""examples.scan_import: the first task of examples.guarded_import. Looks for anomalies in records before they are
imported: a missing or duplicate id, a malformed e-mail address, a negative amount or one above max_amount.
Parameters: records (required: a list of {"id", "email", "amount"}), max_amount (default 10000)."""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from workflow_action import ParameterError, run  # noqa: E402

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def scan(params):
    records = params.get("records")
    if not isinstance(records, list):
        raise ParameterError("parameter records must be a list of objects")
    max_amount = params.get("max_amount", 10000)
    anomalies, seen = [], set()
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            anomalies.append({"record_index": index, "id": None, "issue": "not an object"})
            continue
        rid = record.get("id")
        if not isinstance(rid, int) or isinstance(rid, bool):
            anomalies.append({"record_index": index, "id": None, "issue": "the id is missing or not an integer"})
        elif rid in seen:
            anomalies.append({"record_index": index, "id": rid, "issue": "duplicate id"})
        else:
            seen.add(rid)
        if not isinstance(record.get("email"), str) or not EMAIL.fullmatch(record["email"]):
            anomalies.append({"record_index": index, "id": rid, "issue": "malformed e-mail address"})
        amount = record.get("amount")
        if not isinstance(amount, (int, float)) or isinstance(amount, bool) or amount < 0 or amount > max_amount:
            anomalies.append({"record_index": index, "id": rid, "issue": f"amount {amount} outside 0..{max_amount}"})
    return {"records": len(records), "anomalies": anomalies}


if __name__ == "__main__":
    sys.exit(run(scan))
