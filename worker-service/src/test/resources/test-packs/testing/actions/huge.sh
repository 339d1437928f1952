#!/usr/bin/env bash
# Test action: prints a 2 MiB line (over the 1 MiB output limit) and would then wait a long time.
s=x
for _ in {1..21}; do s=$s$s; done
printf '{"big": "%s"}' "$s"
sleep 300
