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
    private CreationFigure() {
    }

    /** Returns the inquiries pending per second. */
    static double run(Run run) {
        int n = run.options().creation();
        Database db = run.db();
        Seed.Range executions = Seed.runningExecutions(db, n);
        db.execute("ANALYZE attune.execution");
        List<MessageEnvelope<?>> envelopes = new ArrayList<>(n);
        for (long id = executions.first(); id <= executions.last(); id++) {
            envelopes.add(Workload.completed(id));
        }
        long before = db.queryLong("SELECT count(*) FROM attune.inquiry WHERE status = 'pending'");
        Run.progress("publishing %,d ExecutionCompleted …", n);
        Broker.Published published = run.broker().publishAll(Endpoints.EXCHANGE,
                MessageType.EXECUTION_COMPLETED.routingKey(), envelopes);
        if (published.nacked() > 0) {
            throw new IllegalStateException(published.nacked() + " messages were refused by the broker");
        }
        Run.progress("published in %s (%s messages/s); waiting for the inquiries …",
                Format.seconds((published.lastConfirmNanos() - published.firstPublishNanos()) / 1e9),
                Format.rate(published.perSecond()));
        long done = Run.awaitCount("inquiries pending", before + n, 50, 60,
                () -> db.queryLong("SELECT count(*) FROM attune.inquiry WHERE status = 'pending'"));
        double seconds = (done - published.firstPublishNanos()) / 1e9;
        double rate = n / seconds;
        // statistics as they are now (all paused), as autovacuum would have them before long: figure 3 resumes these
        db.execute("ANALYZE attune.execution, attune.inquiry");
        long failed = db.queryLong("SELECT count(*) FROM attune.execution WHERE id BETWEEN ? AND ? "
                + "AND status <> 'paused'", executions.first(), executions.last());
        long eventsDone = Database.awaitNanos("the events of figure 1 are published", 100, 300_000,
                () -> !db.queryBoolean("SELECT EXISTS (SELECT 1 FROM attune.event WHERE published_at IS NULL)"));
        Run.progress("%,d inquiries pending after %s: %s inquiries/s", n, Format.seconds(seconds), Format.rate(rate));

        Report report = run.report();
        report.note(String.format("(1) publishing: %,d persistent messages with publisher confirms in %s: "
                        + "%s messages/s", n, Format.seconds((published.lastConfirmNanos() - published.firstPublishNanos()) / 1e9),
                Format.rate(published.perSecond())));
        report.note(String.format("(1) %,d inquiries pending %s after the first publish; their %,d events "
                        + "(InquiryCreated, ExecutionStatusChanged) all published by the outbox relay after %s",
                n, Format.seconds(seconds), 2 * n, Format.seconds((eventsDone - published.firstPublishNanos()) / 1e9)));
        if (failed > 0) {
            report.note(String.format("(1) %,d executions did not pause (see the executor's log)", failed));
        }
        return rate;
    }
}
