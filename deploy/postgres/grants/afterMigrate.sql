-- Flyway runs this after every migrate (a callback, not a versioned migration), as the owner: each service role gets
-- what that service's statements use, on the tables as they are after the migration (a table a later migration
-- adds is covered by the loops below; the worker's tables are named one by one). No role but the owner may create, alter, drop or truncate
-- anything, or read the migration history. deploy/postgres/README.md lists what each role may do and why.

GRANT USAGE ON SCHEMA attune TO attune_api, attune_executor, attune_notifier, attune_worker;

-- Start from nothing, so that a privilege removed from this file is removed from the database too.
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'attune' AND c.relkind IN ('r', 'p', 'S', 'v') LOOP
        EXECUTE format('REVOKE ALL ON attune.%I FROM attune_api, attune_executor, attune_notifier, attune_worker',
                       t.relname);
    END LOOP;
END
$$;

-- api-service: the REST API reads and changes everything a person can (identities included: login, bootstrap admin,
-- identity management), but not the migration history.
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'attune' AND c.relkind IN ('r', 'p', 'S') AND c.relname <> 'flyway_schema_history' LOOP
        IF t.relkind = 'S' THEN
            EXECUTE format('GRANT USAGE, SELECT, UPDATE ON SEQUENCE attune.%I TO attune_api, attune_executor',
                           t.relname);
        ELSE
            EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON attune.%I TO attune_api', t.relname);
            -- executor-service: the loop's engine changes executions, inquiries, audit, events and leases, and
            -- reads identities (an inquiry's assignee must exist) without their password hashes.
            IF t.relname <> 'identity' THEN
                EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON attune.%I TO attune_executor', t.relname);
            END IF;
        END IF;
    END LOOP;
END
$$;

-- Identities without password_hash, for the roles that read them: every other column, whatever later migrations add.
DO $$
DECLARE
    columns text;
BEGIN
    SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO columns
    FROM pg_attribute WHERE attrelid = 'attune.identity'::regclass AND attnum > 0 AND NOT attisdropped
                        AND attname <> 'password_hash';
    EXECUTE format('GRANT SELECT (%s) ON attune.identity TO attune_executor, attune_notifier', columns);
END
$$;

-- notifier-service changes nothing but its channel deliveries (below): it reads the event trail it replays and what decides who may see a
-- notification (inquiries, identities as above, and whatever later features add), never the migration history.
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'attune' AND c.relkind IN ('r', 'p')
               AND c.relname NOT IN ('flyway_schema_history', 'identity') LOOP
        EXECUTE format('GRANT SELECT ON attune.%I TO attune_notifier', t.relname);
    END LOOP;
END
$$;

-- ... except the channel engine's own tables (docs/channels.md): the notifier fans events out into deliveries, claims
-- and records them, moves its cursor over the trail and reports what its senders can do. Nothing else.
GRANT INSERT, UPDATE ON attune.delivery, attune.delivery_attempt, attune.channel_dispatch,
    attune.channel_sender_status TO attune_notifier;
GRANT USAGE, SELECT ON SEQUENCE attune.delivery_id_seq, attune.delivery_attempt_id_seq TO attune_notifier;
-- A replica withdraws its senders' report when it stops, and prunes the reports of replicas long gone.
GRANT DELETE ON attune.channel_sender_status TO attune_notifier;

-- worker-service: claims an execution (requested -> running), keeps its lease, and stores the outcome in the
-- outbox, which its relay publishes. It cannot read identities, inquiries or their answers, and does not prune the
-- event trail (the api and the executors do).
GRANT SELECT, UPDATE ON attune.execution TO attune_worker;
GRANT SELECT, INSERT, UPDATE, DELETE ON attune.execution_lease TO attune_worker;
GRANT SELECT, INSERT, UPDATE ON attune.event TO attune_worker;
GRANT USAGE, SELECT, UPDATE ON SEQUENCE attune.event_outbox_id_seq, attune.event_id_seq TO attune_worker;
-- its relay records there how far it has published (V27)
GRANT SELECT, UPDATE ON attune.event_relay TO attune_worker;
-- It also registers the workflows of its packs and skips the executions that are workflows (docs/workflows.md).
GRANT SELECT, INSERT, UPDATE ON attune.workflow_definition TO attune_worker;
GRANT SELECT ON attune.workflow_run TO attune_worker;

-- notifier-service sends the channels' messages, and mints their signed respond links (docs/channels.md): it
-- inserts a link's hash, and changes nothing else about links (the api consumes them).
GRANT INSERT ON attune.signed_link TO attune_notifier;
GRANT USAGE ON SEQUENCE attune.signed_link_id_seq TO attune_notifier;

-- And the inquiry templates of its packs (docs/policies.md#templates); the executors and the api read them.
GRANT SELECT, INSERT, UPDATE ON attune.inquiry_template TO attune_worker;
