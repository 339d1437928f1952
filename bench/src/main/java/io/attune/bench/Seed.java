package io.attune.bench;

import io.attune.model.json.Json;

import java.util.List;

/**
 * Rows written straight into the attune schema with set-based SQL ({@code generate_series}, a chunk per statement,
 * never a round trip per row), shaped like the ones the services write themselves.
 */
public final class Seed {
    /** Rows per statement when seeding in bulk. */
    static final int CHUNK = 100_000;

    private Seed() {
    }

    /** Consecutive ids, both ends included. */
    public record Range(long first, long last) {
        public long size() {
            return last - first + 1;
        }
    }

    /**
     * {@code n} executions in status {@code running} (a worker took them), as figure 1's messages and the pgbench
     * ceiling expect them; they get consecutive ids (nothing else inserts executions meanwhile, checked).
     */
    public static Range runningExecutions(Database db, int n) {
        long first = -1;
        long last = -1;
        for (int done = 0; done < n; done += CHUNK) {
            int size = Math.min(CHUNK, n - done);
            List<long[]> range = db.queryPairs("WITH e AS (INSERT INTO attune.execution (action_ref, parameters, "
                            + "status) SELECT ?, ?::jsonb, 'running' FROM generate_series(1, ?) RETURNING id) "
                            + "SELECT min(id), max(id) FROM e",
                    Workload.ACTION_REF, Workload.parameters(), size);
            if (first < 0) {
                first = range.get(0)[0];
            }
            if (range.get(0)[0] != (last < 0 ? first : last + 1)) {
                throw new IllegalStateException("execution ids are not consecutive: something else inserts executions");
            }
            last = range.get(0)[1];
        }
        Range range = new Range(first, last);
        if (range.size() != n) {
            throw new IllegalStateException("expected " + n + " consecutive execution ids, got " + range);
        }
        return range;
    }

    /**
     * {@code n} pending inquiries all expiring at {@code dueMicros} (Unix epoch, microseconds), each with its
     * execution {@code paused} holding the action's result with {@code __inquiry}, and the audit entry
     * {@code created} by {@code system} the completion listener would have written. Call inside a transaction:
     * they must appear at once. Returns the inquiries' ids.
     */
    public static Range expiringInquiries(Database db, int n, long dueMicros) {
        String due = "(timestamptz 'epoch' + ? * interval '1 microsecond')";
        db.update("WITH e AS (INSERT INTO attune.execution (action_ref, parameters, status, result) "
                        + "SELECT ?, ?::jsonb, 'paused', ?::jsonb FROM generate_series(1, ?) RETURNING id) "
                        + "INSERT INTO attune.inquiry (execution, prompt, response_schema, timeout_at) "
                        + "SELECT id, ?, ?::jsonb, " + due + " FROM e",
                Workload.ACTION_REF, Workload.parameters(), Json.write(Workload.result()), n,
                Workload.PROMPT, Json.write(Workload.SCHEMA), dueMicros);
        List<long[]> range = db.queryPairs("SELECT min(id), max(id) FROM attune.inquiry "
                        + "WHERE status = 'pending' AND timeout_at = " + due,
                dueMicros);
        Range ids = new Range(range.get(0)[0], range.get(0)[1]);
        if (ids.size() != n) {
            throw new IllegalStateException("expected " + n + " consecutive inquiry ids, got " + ids);
        }
        db.update("INSERT INTO attune.inquiry_audit (inquiry, action, actor, details, occurred) "
                + "SELECT id, 'created', 'system', jsonb_build_object('prompt', prompt, 'response_schema', "
                + "response_schema, 'assigned_to', assigned_to, 'timeout_at', timeout_at), created "
                + "FROM attune.inquiry WHERE id BETWEEN ? AND ?", ids.first(), ids.last());
        return ids;
    }

    /**
     * Inquiries {@code from..to} (a numbering of the seed's own, deciding each row's shape) of a long-running
     * installation: 70 % responded, 24 % timed out, 4 % cancelled, 2 % pending; 3 in 7 assigned to one of
     * {@code assignees}, the rest to nobody; each with its own execution in the matching status.
     */
    public static void storedInquiries(Database db, long from, long to, Long[] assignees, long admin) {
        db.update("WITH src AS ("
                        + " SELECT g,"
                        + "  CASE WHEN g % 50 = 0 THEN 'pending' WHEN g % 50 < 3 THEN 'cancelled'"
                        + "   WHEN g % 50 < 15 THEN 'timeout' ELSE 'responded' END AS status,"
                        + "  CASE WHEN g % 7 < 4 THEN NULL ELSE (?::bigint[])[1 + (g / 7) % cardinality(?::bigint[])] END"
                        + "   AS assignee,"
                        + "  now() - interval '1 day' - g * interval '1 second' AS created"
                        + " FROM generate_series(?::bigint, ?::bigint) g"
                        + "), e AS ("
                        + " INSERT INTO attune.execution (action_ref, parameters, status, result, created, updated)"
                        + " SELECT ?, jsonb_build_object('service', 'billing-api', 'version', '2.5.0', 'n', g),"
                        + "  (CASE status WHEN 'pending' THEN 'paused' WHEN 'responded' THEN 'completed' ELSE status END)"
                        + "  ::attune.execution_status_enum, ?::jsonb, created, created FROM src"
                        + " RETURNING id, (parameters->>'n')::bigint AS g"
                        + ")"
                        + " INSERT INTO attune.inquiry (execution, prompt, response_schema, assigned_to, status, response,"
                        + "  responded_by, timeout_at, responded_at, created, updated)"
                        + " SELECT e.id, ?, ?::jsonb, s.assignee, s.status::attune.inquiry_status_enum,"
                        + "  CASE WHEN s.status = 'responded' THEN ?::jsonb END,"
                        + "  CASE WHEN s.status = 'responded' THEN coalesce(s.assignee, ?) END,"
                        + "  CASE WHEN s.status = 'pending' THEN now() + interval '30 days'"
                        + "   ELSE s.created + interval '1 hour' END,"
                        + "  CASE WHEN s.status = 'responded' THEN s.created + interval '5 minutes' END,"
                        + "  s.created, s.created"
                        + " FROM e JOIN src s USING (g)",
                db.bigints(List.of(assignees)), db.bigints(List.of(assignees)), from, to,
                Workload.ACTION_REF, Json.write(Workload.result()),
                Workload.PROMPT, Json.write(Workload.SCHEMA), Json.write(Workload.answer()), admin);
    }
}
