#!/usr/bin/env bash
# Test action: writes far more to stderr than a pipe holds, then succeeds.
line=$(printf '%0100d' 0)
for ((i = 0; i < 3000; i++)); do echo "noise $i $line" >&2; done
echo "the last words" >&2
echo '{"ok": true}'
