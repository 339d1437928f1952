#!/usr/bin/env bash
# Test action: succeeds but leaves a process behind that holds stdout and stderr open.
sleep 30 &
echo '{"ok": true}'
