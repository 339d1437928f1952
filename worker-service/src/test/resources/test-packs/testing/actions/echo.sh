#!/usr/bin/env bash
# Test action: echoes its parameters and what identifies the run.
IFS= read -r -d '' params
printf '{"execution_id": "%s", "action_ref": "%s", "cwd": "%s", "parameters": %s}' \
    "$ATTUNE_EXECUTION_ID" "$ATTUNE_ACTION_REF" "$PWD" "$params"
