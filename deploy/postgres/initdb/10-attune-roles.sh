#!/bin/sh
# Runs once, on the first start of the Postgres container (docker-entrypoint-initdb.d), as its superuser: creates
# the suite's roles from ../roles.sql (mounted at /attune/roles.sql) with the passwords compose passes in.
set -eu
psql --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" --no-psqlrc \
    -v owner_password="$ATTUNE_DB_OWNER_PASSWORD" \
    -v api_password="$ATTUNE_API_DB_PASSWORD" \
    -v executor_password="$ATTUNE_EXECUTOR_DB_PASSWORD" \
    -v notifier_password="$ATTUNE_NOTIFIER_DB_PASSWORD" \
    -v worker_password="$ATTUNE_WORKER_DB_PASSWORD" \
    -f /attune/roles.sql
