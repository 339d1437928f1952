#!/usr/bin/env bash
# Starts the whole Attune inquiry suite on this machine: needs only a JDK 17 (Maven comes through ./mvnw).
# Builds what is missing or out of date, then runs the standalone launcher (embedded Postgres and AMQP broker
# unless ATTUNE_DB_URL / ATTUNE_AMQP_URL point at real ones). Ctrl-C stops everything; data is kept in ~/.attune.
set -euo pipefail
cd "$(dirname "$0")"

. scripts/ensure-built.sh
ensure_built api-service executor-service notifier-service worker-service standalone

# The launcher's JVM (it runs the embedded broker): C1 only and serial GC, for a quick start, and a class-data archive
# of its own classes, written when it exits after a run from new jars and used from the next run (JDK 17: the JVM
# writes the header last, so a run killed while writing leaves a file -Xshare:auto ignores). The services' archives
# are the launcher's business (docs/benchmarks.md, "Memory and start time").
launcher=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC)
archive=standalone/target/standalone.jsa
if [ "${ATTUNE_CLASS_DATA_SHARING:-true}" != false ]; then
  if [ -s "$archive" ] && [ -z "$(find standalone/target/standalone.jar standalone/target/lib -newer "$archive" -print -quit)" ]; then
    launcher+=(-XX:SharedArchiveFile="$archive" -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off)
  else
    rm -f "$archive"
    launcher+=(-XX:ArchiveClassesAtExit="$archive" -Xlog:cds=off -Xlog:cds+dynamic=off)
  fi
fi

exec java "${launcher[@]}" -Dattune.repository="$(pwd)" -jar standalone/target/standalone.jar "$@"
