package io.attune.bench;

/**
 * Figure 11: N pending inquiries whose escalation step falls due at the same moment, inserted directly (one
 * transaction, rows like the services' own: an escalation to a group, normalised as the executor stores it), until
 * every one is reassigned with its audit entry and InquiryEscalated — the executor's escalation sweep at work. The
 * size is figure 5's ({@code --timeouts}).
 */
final class EscalationFigure {
    static final String ESCALATED = "attune_inquiries_escalated_total";
    private static final double TARGET_SECONDS = 10;

    private EscalationFigure() {
    }

    static void run(Run run) {
        int n = run.options().timeouts();
        Database db = run.db();
        SweepMoment moment = SweepMoment.ahead(db, n);
        long dueMicros = moment.dueMicros();
        Run.progress("inserting %,d pending inquiries escalating in %d s …", n, moment.leadSeconds());
        long insertStart = System.nanoTime();
        String due = "(timestamptz 'epoch' + ? * interval '1 microsecond')";
        db.inTransaction(true, () -> {
            db.update("WITH e AS (INSERT INTO attune.execution (action_ref, parameters, status, result) "
                            + "SELECT ?, ?::jsonb, 'paused', ?::jsonb FROM generate_series(1, ?) RETURNING id) "
                            + "INSERT INTO attune.inquiry (execution, prompt, response_schema, timeout_at, escalation, "
                            + "escalate_at) SELECT id, ?, ?::jsonb, " + due + " + interval '1 hour', "
                            + "jsonb_build_array(jsonb_build_object('after_seconds', ?::bigint, 'assign_to', "
                            + "'{\"group\": \"bench-escalation\"}'::jsonb, 'keys', '[\"g:bench-escalation\"]'::jsonb, "
                            + "'user', null)), " + due + " FROM e",
                    Workload.ACTION_REF, Workload.parameters(), io.attune.model.json.Json.write(Workload.result()), n,
                    Workload.PROMPT, io.attune.model.json.Json.write(Workload.SCHEMA), dueMicros, moment.leadSeconds(),
                    dueMicros);
            return null;
        });
        String late = moment.committed("11");
        double insertSeconds = (System.nanoTime() - insertStart) / 1e9;
        db.execute("ANALYZE attune.execution, attune.inquiry");
        long[] ids = db.queryPairs("SELECT min(id), max(id) FROM attune.inquiry WHERE escalate_at = " + due,
                dueMicros).get(0);
        if (late != null) {
            run.report().note(late);
        }
        long escalatedBefore = run.executorCounter(ESCALATED);
        long publishedBefore = run.published();
        Run.progress("inserted in %s; waiting for the moment and the sweep …", Format.seconds(insertSeconds));
        SweepMoment.Times times = moment.await(run, "inquiries escalated", escalatedBefore + n,
                () -> run.executorCounter(ESCALATED), publishedBefore, n);
        double seconds = times.seconds();
        double eventsSeconds = times.eventsSeconds();

        long reassigned = db.queryLong("SELECT count(*) FROM attune.inquiry WHERE id BETWEEN ? AND ? "
                + "AND escalation_step = 1 AND assignee_keys = '{g:bench-escalation}' AND status = 'pending'",
                ids[0], ids[1]);
        long audited = db.queryLong("SELECT count(*) FROM attune.inquiry_audit WHERE inquiry BETWEEN ? AND ? "
                + "AND action = 'escalated'", ids[0], ids[1]);
        // the relay's counter said every event went out; the services' retention may have pruned the oldest of
        // them since, so what is checked in the table is that none is left unpublished
        long unpublished = db.queryLong("SELECT count(*) FROM attune.event WHERE inquiry_id BETWEEN ? AND ? "
                + "AND message_type = 'InquiryEscalated' AND " + Run.UNPUBLISHED, ids[0], ids[1]);
        boolean complete = reassigned == n && audited == n && unpublished == 0;
        Report report = run.report();
        report.row("11", String.format("Escalations: %,d inquiries whose escalation falls due at the same moment → "
                        + "all reassigned, audited and announced", n),
                Format.seconds(seconds) + (complete ? "" : " (incomplete, see below)"), "< 10 s",
                Report.Verdict.of(complete && seconds < TARGET_SECONDS));
        report.note(String.format("(11) every InquiryEscalated of the sweep published %s after the moment; %,d rows "
                        + "inserted in one transaction in %s; afterwards %,d reassigned, %,d `escalated` audit "
                        + "entries, %,d InquiryEscalated left unpublished", Format.seconds(eventsSeconds), n,
                Format.seconds(insertSeconds), reassigned, audited, unpublished));
        report.note(times.wal("11", n));
        Run.progress("all %,d escalated %s after the moment; events published after %s", n, Format.seconds(seconds),
                Format.seconds(eventsSeconds));
    }
}
