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

/**
 * Figure 6: {@code GET /api/v1/inquiries} with the seed's filters over the stored inquiries, sequential requests
 * after a warm-up; then the query plans of the slowest variant and of the timeout sweep.
 */
final class ListingFigure {
    private static final double TARGET_MILLIS = 10;
    private static final int ASSIGNEES = 5;
    private static final int WARM_UP = 20;

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
     * EXPLAIN (ANALYZE, BUFFERS) of both statements the API runs for a variant ({@code InquiryRepository.page}: the
     * count, then the page), prepared and executed five times first as the JDBC driver and the plan cache would
     * have by then, so the plan shown is the one the service uses.
     */
    private static void explainListing(Run run, Variant variant, long execution) {
        List<String> params = new ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE true");
        if (variant.visibleTo() != null) {
            params.add(Long.toString(variant.visibleTo()));
            where.append(" AND (assigned_to IS NULL OR assigned_to = $").append(params.size()).append(')');
        }
        if (variant.status() != null) {
            params.add("'" + variant.status() + "'");
            where.append(" AND status = $").append(params.size()).append("::attune.inquiry_status_enum");
        }
        if (variant.execution()) {
            params.add(Long.toString(execution));
            where.append(" AND execution = $").append(params.size());
        }
        if (variant.assignedTo() != null) {
            params.add(Long.toString(variant.assignedTo()));
            where.append(" AND assigned_to = $").append(params.size());
        }
        String count = variant.execution() ? "SELECT count(*) FROM attune.inquiry" + where : tallyCount(variant);
        List<String> countParams = variant.execution() ? params : tallyParams(variant);
        List<String> pageParams = new ArrayList<>(params);
        pageParams.add(Integer.toString(variant.perPage()));
        pageParams.add(Long.toString((long) (variant.page() - 1) * variant.perPage()));
        String page = "SELECT id, execution, prompt, response_schema::text AS response_schema, assigned_to, "
                + "status::text AS status, response::text AS response, responded_by, timeout_at, responded_at, "
                + "created, updated FROM attune.inquiry" + where + " ORDER BY id DESC LIMIT $" + (params.size() + 1)
                + " OFFSET $" + (params.size() + 2);
        String title = "Listing, the slowest variant (" + variant.label() + ")";
        run.report().plan(title + ": the count", count + "\n-- with " + countParams + "\n\n"
                + explainPrepared(run.db(), count, countParams));
        run.report().plan(title + ": the page", page + "\n-- with " + pageParams + "\n\n"
                + explainPrepared(run.db(), page, pageParams));
    }

    /** Without an execution filter the API reads the total from the tally (InquiryRepository.countFromTally). */
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
        db.execute("PREPARE bench_explained AS " + sql);
        try {
            String execute = "EXECUTE bench_explained" + (params.isEmpty() ? "" : "(" + String.join(", ", params) + ")");
            for (int i = 0; i < 5; i++) {
                db.queryLines(execute);
            }
            return db.queryLines("EXPLAIN (ANALYZE, BUFFERS) " + execute);
        } finally {
            db.execute("DEALLOCATE bench_explained");
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
