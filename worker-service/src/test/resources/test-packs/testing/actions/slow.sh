#!/usr/bin/env bash
# Test action: outlives its 1 s timeout (slow.json), with a child process in the background.
sleep 300 &
echo "child $!" >&2
sleep 300
echo '{"finished": true}'
