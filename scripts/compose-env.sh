#!/usr/bin/env bash
# Prints an .env for docker-compose.yml with a fresh random secret for every credential it needs:
#   scripts/compose-env.sh > .env && chmod 600 .env
# Values are hex, so they are safe inside the broker URL. Set ATTUNE_ADMIN_PASSWORD yourself if you want to choose it.
set -euo pipefail
secret() { od -An -N24 -tx1 /dev/urandom | tr -d ' \n'; }
cat <<ENV
POSTGRES_PASSWORD=$(secret)
ATTUNE_DB_OWNER_PASSWORD=$(secret)
ATTUNE_API_DB_PASSWORD=$(secret)
ATTUNE_EXECUTOR_DB_PASSWORD=$(secret)
ATTUNE_NOTIFIER_DB_PASSWORD=$(secret)
ATTUNE_WORKER_DB_PASSWORD=$(secret)
ATTUNE_AMQP_USER=attune
ATTUNE_AMQP_PASSWORD=$(secret)
ATTUNE_JWT_SECRET=$(secret)$(secret)
ATTUNE_ADMIN_PASSWORD=${ATTUNE_ADMIN_PASSWORD:-$(secret)}
ENV
