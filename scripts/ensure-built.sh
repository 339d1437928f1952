# Sourced by run.sh and bench.sh (bash): ensure_built MODULE... builds the suite (./mvnw -q -B package -DskipTests)
# when one of the modules' jars (<module>/target/<module>.jar) is missing or older than any source, resource or pom.
# Sourcing it stops the script at once when there is no java to build or run with.
if ! command -v java >/dev/null 2>&1; then
  echo "Java 17 or newer is needed (java is not on the PATH)." >&2
  exit 1
fi

ensure_built() {
  local stale=false module oldest_jar jars=()
  for module in "$@"; do
    jars+=("$module/target/$module.jar")
    if [ ! -f "$module/target/$module.jar" ]; then
      stale=true
    fi
  done
  if ! $stale; then
    # any source, resource or pom newer than the oldest jar means a rebuild (a service's jar holds the modules it
    # depends on, so a change in service-core makes every service's jar stale)
    oldest_jar=$(ls -tr "${jars[@]}" | head -n 1)
    if [ -n "$(find . -path ./.git -prune -o -path '*/target' -prune -o \( -name '*.java' -o -name 'pom.xml' \
          -o -path '*/src/main/resources/*' \) -newer "$oldest_jar" -print -quit)" ]; then
      stale=true
    fi
  fi
  if $stale; then
    echo "Building the suite (the first build downloads dependencies and takes a few minutes)..."
    ./mvnw -q -B package -DskipTests
  fi
}
