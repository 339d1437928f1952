#!/usr/bin/env bash
# Test action: dies of SIGKILL.
echo "about to die" >&2
kill -9 $$
