package io.attune.bench;

import io.attune.model.message.MessageEnvelope;
import io.attune.model.message.MessageType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Figure 8: the event trail under retention. The services run with a short {@code ATTUNE_EVENT_RETENTION}
 * ({@link BenchOptions#eventRetentionSeconds()}) for the whole benchmark.
 *
 * <ol>
 *   <li>Prune rate: a backlog of expired published events is inserted at once; how many events per second the
 *       services' pruner deletes until it is gone (its capacity, against the rates the suite sustains).</li>
 *   <li>Steady state: inquiries are created at a constant rate (ExecutionCompleted with {@code __inquiry}, two stored
 *       events each) for {@link BenchOptions#retentionLoadSeconds()}; the event table's rows and size are sampled
 *       every 5 s. With retention keeping pace, both level off at about rate × (retention + prune interval)
 *       instead of growing with the run.</li>
 * </ol>
 */
final class RetentionFigure {
    private static final long SAMPLE_MILLIS = 5_000;
    /** The services' default pause between two pruning runs (attune.event.prune-interval). */
    private static final int PRUNE_INTERVAL_SECONDS = 10;

    private RetentionFigure() {
    }

    /** One look at the table: seconds into the load, rows, bytes on disk, events pruned and published so far. */
    record Sample(double second, long rows, long bytes, long pruned, long published) {
    }

    static void run(Run run) {
        Report report = run.report();
        pruneRate(run, report);
        steadyState(run, report);
    }

    private static void pruneRate(Run run, Report report) {
        Database db = run.db();
        int backlog = run.options().pruneBacklog();
        long prunedBefore = pruned(run);
        Run.progress("inserting %,d expired events …", backlog);
        // published, as far as the relay's record goes, in the same statement: else the relay would publish them
        db.update("WITH backlog AS (INSERT INTO attune.event (id, message_id, message_type, routing_key, execution_id, "
                + "envelope, created, sequenced_at) SELECT nextval('attune.event_id_seq'), gen_random_uuid(), "
                + "'ExecutionStatusChanged', 'execution.status.changed', g, ?::jsonb, now() - interval '1 day', "
                + "now() - interval '1 day' FROM generate_series(1, ?) g RETURNING id) "
                + "UPDATE attune.event_relay SET published_through = greatest(published_through, "
                + "(SELECT max(id) FROM backlog))", io.attune.model.json.Json.write(Workload.result()), backlog);
        long inserted = System.nanoTime();
        long firstDeleted = Run.awaitCount("the pruner starts on the backlog", prunedBefore + 1, 20, 60,
                () -> pruned(run));
        long done = Run.awaitCount("backlog pruned", prunedBefore + backlog, 50, 60, () -> pruned(run));
        double seconds = (done - firstDeleted) / 1e9;
        double rate = backlog / seconds;
        Run.progress("%,d expired events pruned in %s once the pruner ran (%s after the insert): %s events/s",
                backlog, Format.seconds(seconds), Format.seconds((done - inserted) / 1e9), Format.rate(rate));
        report.row("9a", String.format("Retention: a backlog of %,d expired events deleted by the services' pruner",
                backlog), Format.rate(rate) + " events/s", "≫ the events/s stored at the highest sustained rate",
                Report.Verdict.NONE);
        report.note(String.format("(8a) from the pruner's first deletion to the last (`attune_event_pruned_total` of "
                + "api and executor, polled every 50 ms): %s; the next run of the pruner started %s after the insert "
                + "(it runs every %d s)", Format.seconds(seconds), Format.seconds((firstDeleted - inserted) / 1e9),
                PRUNE_INTERVAL_SECONDS));
        // the backlog's pages are empty now, at the end of the table: VACUUM gives them back, as autovacuum would
        // before long, so that the steady state below starts from the table's own size
        db.execute("VACUUM attune.event");
    }

    private static void steadyState(Run run, Report report) {
        Database db = run.db();
        int rate = run.options().retentionRate();
        int seconds = run.options().retentionLoadSeconds();
        int retention = run.options().eventRetentionSeconds();
        Seed.Range executions = Seed.runningExecutions(db, rate * seconds);
        db.execute("ANALYZE attune.execution");
        Run.progress("%d inquiries/s for %d s (retention %d s) …", rate, seconds, retention);
        List<Sample> samples = new ArrayList<>();
        long start = System.nanoTime();
        long prunedBefore = pruned(run);
        long publishedBefore = run.published();
        long nextSample = start;
        long next = executions.first();
        for (int tick = 0; tick < seconds; tick++) {
            long due = start + tick * 1_000_000_000L;
            Database.sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000));
            List<MessageEnvelope<?>> batch = new ArrayList<>(rate);
            for (int i = 0; i < rate; i++) {
                batch.add(Workload.completed(next++));
            }
            run.broker().publishAll(Endpoints.EXCHANGE, MessageType.EXECUTION_COMPLETED.routingKey(), batch);
            if (System.nanoTime() >= nextSample) {
                samples.add(sample(run, start, prunedBefore, publishedBefore));
                nextSample += SAMPLE_MILLIS * 1_000_000L;
                Sample last = samples.get(samples.size() - 1);
                if (samples.size() % 6 == 1) {
                    Run.progress("… %.0f s: %,d events stored, %s, %,d pruned", last.second(), last.rows(),
                            megabytes(last.bytes()), last.pruned());
                }
            }
        }
        samples.add(sample(run, start, prunedBefore, publishedBefore));

        // steady state from twice (retention + prune interval) on; the second half of the run against the first
        double settled = 2.0 * (retention + PRUNE_INTERVAL_SECONDS);
        List<Sample> steady = samples.stream().filter(s -> s.second() >= settled).toList();
        Sample last = samples.get(samples.size() - 1);
        if (steady.size() < 2) {
            report.note(String.format("(8b) the load ran %d s, too short for a steady state after %.0f s; last "
                    + "sample: %,d events, %s", seconds, settled, last.rows(), megabytes(last.bytes())));
            return;
        }
        Sample first = steady.get(0);
        long maxRows = steady.stream().mapToLong(Sample::rows).max().orElse(0);
        long maxBytes = steady.stream().mapToLong(Sample::bytes).max().orElse(0);
        // what the suite actually stored and published meanwhile (two events per inquiry if it kept up)
        double storedPerSecond = (last.published() - first.published()) / (last.second() - first.second());
        double prunedPerSecond = (last.pruned() - first.pruned()) / (last.second() - first.second());
        long expected = Math.round(storedPerSecond * (retention + PRUNE_INTERVAL_SECONDS));
        String figure = String.format(Locale.ROOT, "Retention: event table over %d s of %d inquiries/s offered "
                + "(%.0f events/s stored and published) with a %d s retention, from %.0f s on", seconds, rate,
                storedPerSecond, retention, settled);
        String result = String.format("%,d → %,d rows (max %,d); %s → %s (max %s); pruned %s events/s", first.rows(),
                last.rows(), maxRows, megabytes(first.bytes()), megabytes(last.bytes()), megabytes(maxBytes),
                Format.rate(prunedPerSecond));
        report.row("9b", figure, result, String.format("rows level (≤ about %,d)", expected),
                Report.Verdict.of(maxRows <= 1.5 * expected));
        StringBuilder series = new StringBuilder();
        for (Sample s : samples) {
            series.append(series.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%.0f s %,d/%s", s.second(),
                    s.rows(), megabytes(s.bytes())));
        }
        report.note("(8b) rows/size of attune.event (table, indexes and TOAST) every 5 s: " + series);
        Run.progress("steady state: %,d → %,d rows, %s → %s; pruned %s events/s for %.0f stored/s",
                first.rows(), last.rows(), megabytes(first.bytes()), megabytes(last.bytes()),
                Format.rate(prunedPerSecond), storedPerSecond);
    }

    private static Sample sample(Run run, long start, long prunedBefore, long publishedBefore) {
        Database db = run.db();
        long rows = db.queryLong("SELECT count(*) FROM attune.event");
        long bytes = db.queryLong("SELECT pg_total_relation_size('attune.event')");
        return new Sample((System.nanoTime() - start) / 1e9, rows, bytes, pruned(run) - prunedBefore,
                run.published() - publishedBefore);
    }

    /** Events deleted by the pruners of api and executor (one at a time does the work). */
    private static long pruned(Run run) {
        return Math.round(run.suite().metric("api-service", Run.PRUNED) + run.suite().metric(Run.EXECUTOR, Run.PRUNED));
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
    }
}
