#!/usr/bin/env bash
# Starts the whole Attune inquiry suite on this machine: needs only a JDK 17 (Maven comes through ./mvnw).
# Builds what is missing or out of date, then runs the standalone launcher (embedded Postgres and AMQP broker
# unless ATTUNE_DB_URL / ATTUNE_AMQP_URL point at real ones). Ctrl-C stops everything; data is kept in ~/.attune.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v java >/dev/null 2>&1; then
  echo "Java 17 or newer is needed (java is not on the PATH)." >&2
  exit 1
fi

jars=(api-service executor-service notifier-service worker-service standalone)
stale=false
for module in "${jars[@]}"; do
  jar="$module/target/$module.jar"
  if [ ! -f "$jar" ]; then
    stale=true
  fi
done
if ! $stale; then
  # any source, resource or pom newer than the oldest jar means a rebuild
  oldest_jar=$(ls -tr "${jars[@]/%//target}"/*.jar 2>/dev/null | head -n 1)
  if [ -n "$(find . -path ./.git -prune -o -path '*/target' -prune -o \( -name '*.java' -o -name 'pom.xml' \
        -o -path '*/src/main/resources/*' \) -newer "$oldest_jar" -print -quit)" ]; then
    stale=true
  fi
fi
if $stale; then
  echo "Building the suite (the first build downloads dependencies and takes a few minutes)..."
  ./mvnw -q -B package -DskipTests
fi

exec java -Dattune.repository="$(pwd)" -jar standalone/target/standalone.jar "$@"
