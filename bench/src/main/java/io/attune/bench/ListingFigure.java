package io.attune.bench;

import io.attune.model.json.Json;
import io.attune.model.rest.PageResponse;
import io.attune.model.rest.TokenResponse;

import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Figure 6: {@code GET /api/v1/inquiries} with the seed's filters over the stored inquiries, sequential requests
 * after a warm-up; then the query plans of the slowest variant and of the timeout sweep.
 */
final class ListingFigure {
    private static final double TARGET_MILLIS = 10;
    private static final int ASSIGNEES = 5;
    /**
     * Requests per variant not counted. A service that has been up a while has compiled the list's code; with 20 the
     * figure measured the JIT compiler (a fresh api over 1,000,000 inquiries: p99 11-28 ms for the 200 requests after
     * 20, 6-12 ms after 940; docs/benchmarks.md, 2026-12-04 night).
     */
    private static final int WARM_UP = 1000;
    /** What a list item reads (ListedInquiry): no schema, no answer, whether there is one. */
    private static final String LISTED = "id, assigned_to, assignee_keys, assignment, created, execution, "
            + "(response IS NOT NULL AND jsonb_typeof(response) <> 'null'), prompt, status, timeout_at";
    /** Visibility.ASSIGNED_THROUGH_GROUP_OR_LIST, the identity's keys as $1. */
    private static final String THROUGH_GROUP_OR_LIST =
            "assigned_to IS NULL AND cardinality(assignee_keys) > 0 AND assignee_keys && $1";
    /** Names the EXPLAINed statements' PREPAREs apart. */
    private static final AtomicInteger EXPLAINED = new AtomicInteger();

    private ListingFigure() {
    }

    /**
     * One kind of request: its filters, and as whom. {@code execution} is true for the variant asking for one
     * execution's inquiries, each request another execution.
     */
    record Variant(String label, String token, Long visibleTo, String status, boolean execution, Long assignedTo,
                   int page, int perPage) {

        String query(Long executionId) {
            StringBuilder q = new StringBuilder();
            if (status != null) {
                q.append("&status=").append(status);
            }
            if (execution) {
                q.append("&execution=").append(executionId);
            }
            if (assignedTo != null) {
                q.append("&assigned_to=").append(assignedTo);
            }
            if (page != 1) {
                q.append("&page=").append(page);
            }
            if (perPage != 50) {
                q.append("&per_page=").append(perPage);
            }
            return "/api/v1/inquiries" + (q.isEmpty() ? "" : "?" + q.substring(1));
        }
    }

    record Measured(Variant variant, Latencies latencies, int refused, long total) {
    }

    static void run(Run run) {
        Database db = run.db();
        String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
        Long[] assignees = new Long[ASSIGNEES];
        for (int i = 0; i < ASSIGNEES; i++) {
            assignees[i] = run.api().createIdentity(run.adminToken(), "bench-approver-" + (i + 1), password).id();
        }
        TokenResponse user = run.api().login("bench-approver-1", password);
        topUp(run, assignees);

        List<Long> executions = db.queryLongs("SELECT execution FROM attune.inquiry TABLESAMPLE SYSTEM (1) LIMIT ?",
                run.options().requests() + WARM_UP);
        String admin = run.adminToken();
        List<Variant> variants = List.of(
                new Variant("no filter, page 1", admin, null, null, false, null, 1, 50),
                new Variant("`status=pending`", admin, null, "pending", false, null, 1, 50),
                new Variant("`assigned_to=<id>&status=pending`", admin, null, "pending", false, assignees[0], 1, 50),
                new Variant("`execution=<id>`", admin, null, null, true, null, 1, 50),
                new Variant("`status=responded&page=50&per_page=50`", admin, null, "responded", false, null, 50, 50),
                new Variant("as a non-admin user, no filter (assigned to them or to nobody)", user.accessToken(),
                        user.user().id(), null, false, null, 1, 50));
        List<Measured> results = new ArrayList<>();
        char letter = 'a';
        for (Variant variant : variants) {
            Measured m = measure(run, variant, executions);
            results.add(m);
            run.report().row("6" + letter++, "Listing: `GET /api/v1/inquiries` " + variant.label(),
                    m.latencies().describe() + (m.refused() == 0 ? "" : "; non-200: " + m.refused())
                            + (m.total() < 0 ? "" : "; total " + Format.count(m.total())),
                    "p99 ≤ 10 ms", Report.Verdict.of(m.latencies().p99Millis() <= TARGET_MILLIS && m.refused() == 0));
            Run.progress("%-70s %s", variant.label(), m.latencies().describe());
        }
        run.report().note(String.format("(6) %,d sequential requests per variant after %d not counted; the `execution` "
                + "variant asks for a different stored execution each time", run.options().requests(), WARM_UP));

        InsightsFigure.run(run, letter);

        Measured slowest = results.stream().max(Comparator.comparingLong(m -> m.latencies().p99())).orElseThrow();
        explainListing(run, slowest.variant(), executions.get(0));
        explainSweep(run);
    }

    /** Tops the inquiry table up to the wanted size, chunk by chunk, then vacuums and analyses it. */
    private static void topUp(Run run, Long[] assignees) {
        Database db = run.db();
        long stored = db.queryLong("SELECT count(*) FROM attune.inquiry");
        long wanted = run.options().stored();
        long started = System.nanoTime();
        if (stored < wanted) {
            Run.progress("storing %,d more inquiries (up to %,d) …", wanted - stored, wanted);
            for (long from = 1; from <= wanted - stored; from += Seed.CHUNK) {
                long to = Math.min(wanted - stored, from + Seed.CHUNK - 1);
                Seed.storedInquiries(db, from, to, assignees, run.admin().user().id());
                if ((to / Seed.CHUNK) % 2 == 0 || to == wanted - stored) {
                    Run.progress("… %,d of %,d", to, wanted - stored);
                }
            }
        }
        double insertSeconds = (System.nanoTime() - started) / 1e9;
        long vacuumStart = System.nanoTime();
        db.execute("VACUUM (ANALYZE) attune.inquiry, attune.execution");
        double vacuumSeconds = (System.nanoTime() - vacuumStart) / 1e9;
        long total = db.queryLong("SELECT count(*) FROM attune.inquiry");
        long pending = db.queryLong("SELECT count(*) FROM attune.inquiry WHERE status = 'pending'");
        long assigned = db.queryLong("SELECT count(*) FROM attune.inquiry WHERE assigned_to IS NOT NULL");
        String size = db.queryText("SELECT pg_size_pretty(pg_total_relation_size('attune.inquiry'))");
        run.report().note(String.format("(6) %,d inquiries stored (%,d pending, %,d assigned to one of %d users, the "
                        + "rest to nobody; mostly responded or timed out), table with indexes %s; %,d inserted in %s, "
                        + "then `VACUUM (ANALYZE)` in %s", total, pending, assigned, ASSIGNEES, size,
                Math.max(0, wanted - stored), Format.seconds(insertSeconds), Format.seconds(vacuumSeconds)));
    }

    private static Measured measure(Run run, Variant variant, List<Long> executions) {
        List<Long> took = new ArrayList<>();
        int refused = 0;
        long total = -1;
        int requests = run.options().requests();
        for (int i = 0; i < WARM_UP + requests; i++) {
            Long execution = executions.get(i % executions.size());
            var request = run.api().get(variant.token(), variant.query(execution));
            long start = System.nanoTime();
            HttpResponse<String> response = run.api().send(request);
            long elapsed = System.nanoTime() - start;
            if (i < WARM_UP) {
                if (total < 0 && response.statusCode() == 200 && !variant.execution()) {
                    total = Json.read(response.body(), PageResponse.class).total();
                }
                continue;
            }
            took.add(elapsed);
            if (response.statusCode() != 200) {
                refused++;
            }
        }
        return new Measured(variant, Latencies.ofNanos(took), refused, total);
    }

    /**
     * EXPLAIN (ANALYZE, BUFFERS) of the statements the API runs for a variant ({@code InquiryRepository.page}): the
     * count, then the page. The page's statements are Hibernate's, written out here as Postgres' log showed them
     * ({@code log_statement = all}, 2026-12-04): an admin's list by status reads the page's ids in a subquery; a
     * person's list (and any {@code assigned_to}) reads the newest ids of each disjoint part from its own index, then
     * those rows; the rest is one statement that reads one row more than the page. Each is prepared and executed
     * five times first, as the JDBC driver and the plan cache would have by then, so the plan shown is the one the
     * service uses.
     */
    private static void explainListing(Run run, Variant variant, long execution) {
        Database db = run.db();
        String title = "Listing, the slowest variant (" + variant.label() + ")";
        long offset = (long) (variant.page() - 1) * variant.perPage();
        Long who = variant.assignedTo() != null ? variant.assignedTo() : variant.visibleTo();
        String status = " AND status = $2::attune.inquiry_status_enum";
        String statusFilter = variant.status() == null ? "" : status;
        if (!variant.execution()) {
            StringBuilder counts = new StringBuilder(explained(db, tallyCount(variant), tallyParams(variant)));
            if (who != null) {
                counts.append("\n\n").append(explained(db, "SELECT count(*) FROM attune.inquiry WHERE "
                        + THROUGH_GROUP_OR_LIST.replace("$1", "attune.principals($1)") + statusFilter,
                        withStatus(Long.toString(who), variant.status())));
            }
            run.report().plan(title + ": the count", counts.toString());
        }
        if (who != null) {
            // the parts' newest ids (each statement: $1 the limit, $2 the status), merged newest first, then those rows
            String limit = Long.toString(offset + variant.perPage());
            String newest = " ORDER BY id DESC FETCH FIRST $1 ROWS ONLY";
            List<Map.Entry<String, List<String>>> parts = new ArrayList<>(); // each statement and its parameters
            if (variant.assignedTo() == null) {
                parts.add(Map.entry("SELECT id FROM attune.inquiry WHERE assigned_to IS NULL "
                        + "AND cardinality(assignee_keys) = 0" + statusFilter + newest, withStatus(limit, variant.status())));
            }
            for (String each : variant.status() != null ? List.of(variant.status())
                    : List.of("pending", "responded", "timeout", "cancelled")) {
                parts.add(Map.entry("SELECT id FROM attune.inquiry WHERE assigned_to BETWEEN " + who + " AND " + who
                        + status + " ORDER BY assigned_to DESC, id DESC FETCH FIRST $1 ROWS ONLY", withStatus(limit, each)));
            }
            parts.add(Map.entry("SELECT id FROM attune.inquiry WHERE "
                    + THROUGH_GROUP_OR_LIST.replace("$1", "attune.principals(" + who + ")") + statusFilter
                    + newest.replace("id DESC", "id + 0 DESC"), withStatus(limit, variant.status())));
            StringBuilder page = new StringBuilder();
            List<Long> ids = new ArrayList<>();
            for (Map.Entry<String, List<String>> part : parts) {
                List<String> params = part.getValue();
                page.append(explained(db, part.getKey(), params)).append("\n\n");
                ids.addAll(db.queryLongs(part.getKey().replace("$1", params.get(0))
                        .replace("$2", params.size() > 1 ? params.get(1) : "")));
            }
            List<String> pageIds = ids.stream().sorted(Comparator.reverseOrder()).skip(offset)
                    .limit(variant.perPage()).map(String::valueOf).toList();
            page.append(explained(db, "SELECT " + LISTED + " FROM attune.inquiry WHERE id IN ("
                    + (pageIds.isEmpty() ? "NULL" : String.join(", ", pageIds)) + ") ORDER BY id DESC", List.of()));
            run.report().plan(title + ": the page", page.toString());
        } else if (variant.status() != null && !variant.execution()) {
            run.report().plan(title + ": the page", explained(db, "SELECT " + LISTED + " FROM attune.inquiry WHERE id IN "
                            + "(SELECT id FROM attune.inquiry WHERE status = $1::attune.inquiry_status_enum "
                            + "ORDER BY id DESC OFFSET $2 ROWS FETCH FIRST $3 ROWS ONLY) ORDER BY id DESC",
                    List.of("'" + variant.status() + "'", Long.toString(offset), Integer.toString(variant.perPage()))));
        } else {
            String where = variant.execution() ? " WHERE execution = " + execution : "";
            run.report().plan(title + ": the page", explained(db, "SELECT " + LISTED + " FROM attune.inquiry" + where
                            + " ORDER BY id DESC OFFSET $1 ROWS FETCH FIRST $2 ROWS ONLY",
                    List.of(Long.toString(offset), Integer.toString(variant.perPage() + 1))));
        }
    }

    /** The parameters of a statement: {@code first}, then the status as $2 when there is one. */
    private static List<String> withStatus(String first, String status) {
        return status == null ? List.of(first) : List.of(first, "'" + status + "'");
    }

    private static String explained(Database db, String sql, List<String> params) {
        return sql + (params.isEmpty() ? "" : "\n-- with " + params) + "\n\n" + explainPrepared(db, sql, params);
    }

    /** Without an execution filter the API reads the total from the tally (InquiryRepository.tallied). */
    private static String tallyCount(Variant variant) {
        StringBuilder where = new StringBuilder(" WHERE true");
        int n = 0;
        if (variant.visibleTo() != null) {
            where.append(" AND assigned_to IN (0, $").append(++n).append(')');
        }
        if (variant.status() != null) {
            where.append(" AND status = $").append(++n).append("::attune.inquiry_status_enum");
        }
        if (variant.assignedTo() != null) {
            where.append(" AND assigned_to = $").append(++n);
        }
        return "SELECT coalesce(sum(inquiries), 0) FROM attune.inquiry_tally" + where;
    }

    private static List<String> tallyParams(Variant variant) {
        List<String> params = new ArrayList<>();
        if (variant.visibleTo() != null) {
            params.add(Long.toString(variant.visibleTo()));
        }
        if (variant.status() != null) {
            params.add("'" + variant.status() + "'");
        }
        if (variant.assignedTo() != null) {
            params.add(Long.toString(variant.assignedTo()));
        }
        return params;
    }

    private static String explainPrepared(Database db, String sql, List<String> params) {
        // a name of its own each time: the JDBC driver keeps what "EXECUTE <name>" returned by its text, and would
        // read a later statement's rows with an earlier one's column types
        String name = "bench_explained_" + EXPLAINED.incrementAndGet();
        db.execute("PREPARE " + name + " AS " + sql);
        try {
            String execute = "EXECUTE " + name + (params.isEmpty() ? "" : "(" + String.join(", ", params) + ")");
            for (int i = 0; i < 5; i++) {
                db.queryLines(execute);
            }
            return db.queryLines("EXPLAIN (ANALYZE, BUFFERS) " + execute);
        } finally {
            db.execute("DEALLOCATE " + name);
        }
    }

    /**
     * EXPLAIN (ANALYZE, BUFFERS) of one batch of the timeout sweep ({@code InquiryRepository.markTimedOut}, the
     * executor's batch size) over the stored inquiries, with every pending inquiry made due first — in a
     * transaction rolled back afterwards, so nothing changes (the executor's own sweep sees none of it).
     */
    private static void explainSweep(Run run) {
        Database db = run.db();
        String sweep = "UPDATE attune.inquiry i SET status = 'timeout' FROM (SELECT id FROM attune.inquiry "
                + "WHERE status = 'pending' AND timeout_at <= now() ORDER BY timeout_at LIMIT 1000 "
                + "FOR UPDATE SKIP LOCKED) due WHERE i.id = due.id RETURNING i.id, i.execution, i.prompt, "
                + "i.response_schema::text AS response_schema, i.assigned_to, i.status::text AS status, "
                + "i.response::text AS response, i.responded_by, i.timeout_at, i.responded_at, i.created, i.updated";
        String plan = db.inTransaction(false, () -> {
            int due = db.update("UPDATE attune.inquiry SET timeout_at = now() - interval '1 second' "
                    + "WHERE status = 'pending'");
            return "-- " + Format.count(due) + " pending inquiries made due (rolled back afterwards)\n" + sweep + "\n\n"
                    + db.queryLines("EXPLAIN (ANALYZE, BUFFERS) " + sweep);
        });
        run.report().plan("The timeout sweep: one batch of 1,000", plan);
    }
}
