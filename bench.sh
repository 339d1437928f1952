#!/usr/bin/env bash
# The benchmark of the inquiry loop (module bench): starts api, executor and notifier on the local Postgres and
# RabbitMQ (database attune_bench, exchange attune.bench), measures creation, the database's ceiling (pgbench),
# respond, notification, timeouts, listing and memory, prints the table and writes it to docs/benchmarks.md.
#   ./bench.sh            the full run (about twenty minutes with figure 8; run it on a quiet machine)
#   ./bench.sh --quick    a smoke run of a minute or two, written to target/benchmarks-quick.md
#   ./bench.sh --workflows --out F   figure 10 alone (workflow steps through the engine beside pgbench)
#   ./bench.sh --open-loop --out F   figures 12-13 alone (answers on a fixed schedule, saturation, respond ceiling)
#   ./bench.sh --help     every option
# Builds what is missing or out of date first, as run.sh does.
set -euo pipefail
cd "$(dirname "$0")"

. scripts/ensure-built.sh
ensure_built api-service executor-service notifier-service bench

exec java -Dattune.repository="$(pwd)" -Dbench.launcher=./bench.sh -jar bench/target/bench.jar "$@"
