#!/usr/bin/env bash
# Starts the whole Attune inquiry suite on this machine: needs only a JDK 17 (Maven comes through ./mvnw).
# Builds what is missing or out of date, then runs the standalone launcher (embedded Postgres and AMQP broker
# unless ATTUNE_DB_URL / ATTUNE_AMQP_URL point at real ones). Ctrl-C stops everything; data is kept in ~/.attune.
set -euo pipefail
cd "$(dirname "$0")"

. scripts/ensure-built.sh
ensure_built api-service executor-service notifier-service worker-service standalone

exec java -Dattune.repository="$(pwd)" -jar standalone/target/standalone.jar "$@"
