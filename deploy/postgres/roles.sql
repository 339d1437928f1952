-- The suite's database roles (deploy/postgres/README.md): one owner that runs the migrations and owns every
-- object, and one login role per service with only the privileges that service uses (granted by
-- grants/afterMigrate.sql after each migration). Run once, by a superuser, in the suite's database, with psql
-- variables owner_password, api_password, executor_password, notifier_password, worker_password
-- (initdb/10-attune-roles.sh does this on a fresh Postgres container).
\set ON_ERROR_STOP on

CREATE ROLE attune_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE attune_api LOGIN PASSWORD :'api_password';
CREATE ROLE attune_executor LOGIN PASSWORD :'executor_password';
CREATE ROLE attune_notifier LOGIN PASSWORD :'notifier_password';
CREATE ROLE attune_worker LOGIN PASSWORD :'worker_password';

-- Only the suite's roles may connect, and nobody may create anything in the public schema.
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database()) \gexec
SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO attune_owner', current_database()) \gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO attune_api, attune_executor, attune_notifier, attune_worker',
              current_database()) \gexec
REVOKE ALL ON SCHEMA public FROM PUBLIC;

-- The schema Flyway migrates, owned by the owner: the services get USAGE (grants/afterMigrate.sql), never CREATE.
CREATE SCHEMA attune AUTHORIZATION attune_owner;
REVOKE ALL ON SCHEMA attune FROM PUBLIC;
