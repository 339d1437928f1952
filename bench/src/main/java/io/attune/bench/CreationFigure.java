package io.attune.bench;

import io.attune.model.message.MessageEnvelope;
import io.attune.model.message.MessageType;

import java.util.ArrayList;
import java.util.List;

/**
 * Figure 1: N ExecutionCompleted messages with {@code __inquiry}, published as fast as the broker takes them, until
 * N inquiries are pending — end to end, through the broker, the completion listener and Postgres.
 */
final class CreationFigure {
    /**
     * How often the executor's counters are read while it works: each read is a Prometheus scrape in the executor,
     * and at every 100 ms the scrapes took a tenth of its CPU (a Flight Recorder profile of figure 1); 250 ms costs
     * the figure at most a quarter of a second in 40 or more.
     */
    private static final int POLL_MILLIS = 250;

    private CreationFigure() {
    }

    /** Returns the inquiries pending per second. */
    static double run(Run run) {
        int n = run.options().creation();
        Database db = run.db();
        // Not counted: the executor's code warms up, and the inquiry table holds rows and is analyzed, as autovacuum
        // would have it after its first 50 (it is off on the benchmark's server). Without that, every connection
        // keeps the plan it made for the audit trail's foreign-key check while the table was empty, a sequential
        // scan, and reads the whole table for each inquiry (docs/benchmarks.md, 2026-12-05).
        int warmUp = warmUp(n);
        Run.progress("warming up with %,d ExecutionCompleted (not counted) …", warmUp);
        openMore(run, warmUp);
        double jitWait = CpuMeter.of(run.suite()).awaitJitQuiet();
        Seed.Range executions = Seed.runningExecutions(db, n);
        db.execute("ANALYZE attune.execution");
        List<MessageEnvelope<?>> envelopes = new ArrayList<>(n);
        for (long id = executions.first(); id <= executions.last(); id++) {
            envelopes.add(Workload.completed(id));
        }
        // figure 2 starts from a checkpoint as well: neither pays for the other's dirty pages
        db.execute("CHECKPOINT");
        long pendingBefore = db.queryLong("SELECT count(*) FROM attune.inquiry WHERE status = 'pending'");
        long openedBefore = run.executorCounter(Run.OPENED);
        long publishedBefore = run.published();
        Run.progress("publishing %,d ExecutionCompleted …", n);
        Broker.Published published = run.broker().publishAll(Endpoints.EXCHANGE,
                MessageType.EXECUTION_COMPLETED.routingKey(), envelopes);
        if (published.nacked() > 0) {
            throw new IllegalStateException(published.nacked() + " messages were refused by the broker");
        }
        Run.progress("published in %s (%s messages/s); waiting for the inquiries …",
                Format.seconds((published.lastConfirmNanos() - published.firstPublishNanos()) / 1e9),
                Format.rate(published.perSecond()));
        // the executor's counter moves once an inquiry is committed; the database is checked once afterwards
        long done = Run.awaitCount("inquiries opened", openedBefore + n, POLL_MILLIS, 60,
                () -> run.executorCounter(Run.OPENED));
        double seconds = (done - published.firstPublishNanos()) / 1e9;
        double rate = n / seconds;
        long eventsDone = Run.awaitCount("events of figure 1 published", publishedBefore + 2L * n, POLL_MILLIS, 120,
                run::published);
        // statistics as they are now (all paused), as autovacuum would have them before long: figure 3 resumes these
        db.execute("ANALYZE attune.execution, attune.inquiry");
        long pending = db.queryLong("SELECT count(*) FROM attune.inquiry WHERE status = 'pending'") - pendingBefore;
        long failed = db.queryLong("SELECT count(*) FROM attune.execution WHERE id BETWEEN ? AND ? "
                + "AND status <> 'paused'", executions.first(), executions.last());
        if (pending != n || failed > 0) {
            throw new IllegalStateException("after figure 1, " + pending + " inquiries are pending (expected " + n
                    + ") and " + failed + " executions did not pause");
        }
        Run.progress("%,d inquiries pending after %s: %s inquiries/s", n, Format.seconds(seconds), Format.rate(rate));

        Report report = run.report();
        report.note(String.format("(1) after a warm-up of %,d inquiries opened the same way and not counted (the "
                + "services' JIT compiles their hot paths meanwhile; then %s until no service's compiler used more "
                + "than %.2f cores over a second), then ANALYZE of the execution and inquiry tables (as autovacuum "
                + "would have done)", warmUp, Format.seconds(jitWait), CpuMeter.JIT_QUIET_CORES));
        report.note(String.format("(1) publishing: %,d persistent messages with publisher confirms in %s: "
                        + "%s messages/s", n, Format.seconds((published.lastConfirmNanos() - published.firstPublishNanos()) / 1e9),
                Format.rate(published.perSecond())));
        report.note(String.format("(1) %,d inquiries pending %s after the first publish (followed through the "
                        + "executor's `attune_inquiries_opened_total`, then counted in the database); their %,d events "
                        + "(InquiryCreated, ExecutionStatusChanged) all published by the outbox relay after %s",
                n, Format.seconds(seconds), 2 * n, Format.seconds((eventsDone - published.firstPublishNanos()) / 1e9)));
        return rate;
    }

    /**
     * Inquiries opened before figure 1's, not counted: as many as the figure opens (at most 20,000), so that the
     * services' JIT has compiled their hot paths. The figure kept rising with the warm-up: 0.36–0.39 of the ceiling
     * after 1,000, 0.40–0.52 after 5,000, 0.57 after 10,000, 0.72–0.76 after 20,000 (docs/benchmarks.md).
     */
    static int warmUp(int creation) {
        return Math.max(100, Math.min(20_000, creation));
    }

    /**
     * Opens {@code n} more inquiries the way figure 1 does (ExecutionCompleted through the broker), unmeasured, and
     * returns once they are pending and their events published (so that the next figure does not share the machine
     * with the relay's backlog). Returns the executions' range.
     */
    static Seed.Range openMore(Run run, int n) {
        Seed.Range executions = Seed.runningExecutions(run.db(), n);
        List<MessageEnvelope<?>> envelopes = new ArrayList<>(n);
        for (long id = executions.first(); id <= executions.last(); id++) {
            envelopes.add(Workload.completed(id));
        }
        long openedBefore = run.executorCounter(Run.OPENED);
        long publishedBefore = run.published();
        Broker.Published published = run.broker().publishAll(Endpoints.EXCHANGE,
                MessageType.EXECUTION_COMPLETED.routingKey(), envelopes);
        if (published.nacked() > 0) {
            throw new IllegalStateException(published.nacked() + " messages were refused by the broker");
        }
        Run.awaitCount("inquiries opened", openedBefore + n, POLL_MILLIS, 60, () -> run.executorCounter(Run.OPENED));
        Run.awaitCount("their events published", publishedBefore + 2L * n, POLL_MILLIS, 120, run::published);
        run.db().execute("ANALYZE attune.execution, attune.inquiry");
        return executions;
    }
}
