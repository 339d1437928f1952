#!/usr/bin/env bash
# Test action: sleeps for parameter "seconds" (default 2) and says when it started and finished (epoch seconds).
IFS= read -r -d '' params
seconds=2
if [[ $params =~ \"seconds\"[[:space:]]*:[[:space:]]*([0-9.]+) ]]; then seconds=${BASH_REMATCH[1]}; fi
started=$EPOCHREALTIME
echo "pid $$ sleeping ${seconds}s" >&2
sleep "$seconds"
printf '{"started": %s, "finished": %s}' "$started" "$EPOCHREALTIME"
