"""What the examples' Python actions share: parameters as JSON on stdin, the result as JSON on stdout, a
parameter error on stderr with exit status 2 (the worker reports the execution failed with that message)."""
import datetime
import hashlib
import json
import sys


class ParameterError(Exception):
    pass


def now():
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def short_id(prefix, *parts):
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()[:8]
    return f"{prefix}-{digest}"


def string(params, name, default=None):
    value = params.get(name, default)
    if value is None:
        raise ParameterError(f"parameter {name} is required")
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise ParameterError(f"parameter {name} must be a string")
    return str(value)


def run(action):
    text = sys.stdin.buffer.read().decode("utf-8")
    params = json.loads(text) if text.strip() else {}
    if not isinstance(params, dict):
        print("the parameters on stdin must be a JSON object", file=sys.stderr)
        return 2
    try:
        result = action(params)
    except ParameterError as e:
        print(e, file=sys.stderr)
        return 2
    json.dump(result, sys.stdout)
    return 0
