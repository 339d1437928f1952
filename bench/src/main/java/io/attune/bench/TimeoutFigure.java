package io.attune.bench;

/**
 * Figure 5: T pending inquiries expiring at the same moment, inserted directly (one transaction, rows like the
 * services' own), until every one is {@code timeout} with its execution — the executor's timeout sweep at work.
 */
final class TimeoutFigure {
    private static final double TARGET_SECONDS = 10;

    private TimeoutFigure() {
    }

    static void run(Run run) {
        int n = run.options().timeouts();
        Database db = run.db();
        SweepMoment moment = SweepMoment.ahead(db, n);
        Run.progress("inserting %,d pending inquiries due in %d s …", n, moment.leadSeconds());
        long insertStart = System.nanoTime();
        Seed.Range inquiries = db.inTransaction(true, () -> Seed.expiringInquiries(db, n, moment.dueMicros()));
        String late = moment.committed("5");
        double insertSeconds = (System.nanoTime() - insertStart) / 1e9;
        // statistics that know these rows, as they would after inquiries opened over time
        db.execute("ANALYZE attune.execution, attune.inquiry");
        long[] executionIds = db.queryPairs("SELECT min(execution), max(execution) FROM attune.inquiry "
                + "WHERE id BETWEEN ? AND ?", inquiries.first(), inquiries.last()).get(0);
        Seed.Range executions = new Seed.Range(executionIds[0], executionIds[1]);
        if (late != null) {
            run.report().note(late);
        }
        long timedOutBefore = run.executorCounter(Run.TIMED_OUT);
        long publishedBefore = run.published();
        Run.progress("inserted in %s; waiting for the moment and the sweep …", Format.seconds(insertSeconds));
        // the executor's counter moves after each batch's commit (inquiries and executions together): it is
        // followed instead of the database, which the sweep needs for itself; the database is checked afterwards
        SweepMoment.Times times = moment.await(run, "inquiries timed out", timedOutBefore + n,
                () -> run.executorCounter(Run.TIMED_OUT), publishedBefore, 2L * n);
        double seconds = times.seconds();
        double eventsSeconds = times.eventsSeconds();

        long timedOut = db.queryLong("SELECT count(*) FROM attune.inquiry WHERE id BETWEEN ? AND ? AND status = 'timeout'",
                inquiries.first(), inquiries.last());
        long executionsTimedOut = db.queryLong("SELECT count(*) FROM attune.execution WHERE id BETWEEN ? AND ? "
                + "AND status = 'timeout'", executions.first(), executions.last());
        // the relay's counter said every event went out; the services' retention may have pruned the oldest of
        // them since, so what is checked in the table is that none is left unpublished
        long unpublished = db.queryLong("SELECT count(*) FROM attune.event WHERE inquiry_id BETWEEN ? AND ? "
                + "AND message_type = 'InquiryTimedOut' AND " + Run.UNPUBLISHED, inquiries.first(), inquiries.last());
        Report report = run.report();
        boolean complete = timedOut == n && executionsTimedOut == n && unpublished == 0;
        report.row("5", String.format("Timeouts: %,d inquiries expiring at the same moment → all `timeout` with their "
                        + "executions", n), Format.seconds(seconds) + (complete ? "" : " (incomplete, see below)"),
                "< 10 s", Report.Verdict.of(complete && seconds < TARGET_SECONDS));
        report.note(String.format("(5) every InquiryTimedOut and ExecutionStatusChanged event of the sweep published "
                + "%s after the moment", Format.seconds(eventsSeconds)));
        report.note(String.format("(5) %,d rows inserted in one transaction in %s (with their executions and "
                        + "`created` audit entries); afterwards %,d inquiries and %,d executions `timeout`, %,d "
                        + "InquiryTimedOut left unpublished", n, Format.seconds(insertSeconds), timedOut,
                executionsTimedOut, unpublished));
        report.note(times.wal("5", n));
        Run.progress("all %,d timed out %s after the moment; events published after %s", n, Format.seconds(seconds),
                Format.seconds(eventsSeconds));
    }
}
