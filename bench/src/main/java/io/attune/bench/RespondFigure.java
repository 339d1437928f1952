package io.attune.bench;

import io.attune.model.ws.SubscriptionFilters;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Figures 3 and 4: concurrent clients answering distinct pending inquiries over HTTP (requests per second, latency,
 * and the time until each execution is {@code completed}), and a connected WebSocket client receiving the matching
 * {@code responded} notification.
 */
final class RespondFigure {
    private static final double TARGET_MILLIS = 50;
    private static final String NOTIFIER = "notifier-service";

    private RespondFigure() {
    }

    /** One answer: which inquiry, when it was sent (both clocks), how long it took, what came back. */
    private static final class Answer {
        final long inquiry;
        final long execution;
        long sentNanos;
        long sentMicros;
        long tookNanos;
        int status;
        String error;

        Answer(long inquiry, long execution) {
            this.inquiry = inquiry;
            this.execution = execution;
        }
    }

    static void run(Run run) {
        BenchOptions options = run.options();
        Database db = run.db();
        int warm = options.warmUpResponses();
        List<long[]> pending = db.queryPairs("SELECT id, execution FROM attune.inquiry WHERE status = 'pending' "
                + "ORDER BY id LIMIT ?", warm + options.responses());
        if (pending.size() < warm + options.responses()) {
            throw new IllegalStateException("only " + pending.size() + " pending inquiries to answer");
        }
        List<Answer> warmUp = answers(pending.subList(0, warm));
        List<Answer> measured = answers(pending.subList(warm, pending.size()));
        SubscriptionFilters responded = new SubscriptionFilters("inquiry", null, "responded", null, null);
        try (NotificationListener listener = NotificationListener.subscribe(run.api().http(), run.suite().notifierUrl(),
                run.adminToken(), responded)) {
            Run.progress("warm-up: %,d answers (not counted) …", warm);
            long resumedBefore = run.executorCounter(Run.RESUMED);
            answerAll(run, warmUp);
            awaitCompleted(run, warmUp, resumedBefore);
            awaitNotified(listener, warmUp);
            long warmNotified = warmUp.stream().filter(a -> listener.arrival(a.inquiry) != null).count();
            Run.progress("answering %,d inquiries with %d clients …", measured.size(), options.clients());
            resumedBefore = run.executorCounter(Run.RESUMED);
            long[] span = answerAll(run, measured);
            long completedAt = awaitCompleted(run, measured, resumedBefore);
            long notifiedBy = awaitNotified(listener, measured);
            report(run, measured, span, completedAt, notifiedBy, listener);
            // what the notifier says it did, for when notifications are missing
            run.report().note(String.format("(4) the notifier's own counters afterwards: %d session(s) open, %,d "
                            + "notifications handed to clients, %d slow-client closes; of the warm-up's %,d answers %,d "
                            + "were notified", Math.round(run.suite().metric(NOTIFIER, "attune_notifier_sessions")),
                    Math.round(run.suite().metric(NOTIFIER, "attune_notifier_notifications_sent_total")),
                    Math.round(run.suite().metric(NOTIFIER, "attune_notifier_slow_client_closes_total")),
                    warmUp.size(), warmNotified));
        }
    }

    private static List<Answer> answers(List<long[]> inquiries) {
        return inquiries.stream().map(p -> new Answer(p[0], p[1])).toList();
    }

    /** Sends every answer from {@code clients} threads; returns the first send and the last reply (nanoTime). */
    private static long[] answerAll(Run run, List<Answer> answers) {
        JsonNode answer = Workload.answer();
        List<HttpRequest> requests = answers.stream()
                .map(a -> run.api().respondRequest(run.adminToken(), a.inquiry, answer)).toList();
        int clients = run.options().clients();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger next = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                running.add(pool.submit(() -> {
                    start.await();
                    int i;
                    while ((i = next.getAndIncrement()) < answers.size()) {
                        Answer a = answers.get(i);
                        a.sentMicros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
                        a.sentNanos = System.nanoTime();
                        try {
                            HttpResponse<Void> response = run.api().http().send(requests.get(i),
                                    HttpResponse.BodyHandlers.discarding());
                            a.status = response.statusCode();
                        } catch (java.io.IOException e) {
                            a.error = e.toString();
                        }
                        a.tookNanos = System.nanoTime() - a.sentNanos;
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : running) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("answering failed: " + e, e);
        } finally {
            pool.shutdownNow();
        }
        long first = answers.stream().mapToLong(a -> a.sentNanos).min().orElse(0);
        long last = answers.stream().mapToLong(a -> a.sentNanos + a.tookNanos).max().orElse(0);
        return new long[]{first, last};
    }

    /**
     * Waits until the executor has resumed every answered execution (its {@code attune_executions_resumed_total},
     * which moves after the commit: polling the database would compete with what is measured), then checks in the
     * database that they are all completed. Returns when the counter got there.
     */
    private static long awaitCompleted(Run run, List<Answer> answers, long resumedBefore) {
        List<Long> ids = answers.stream().filter(a -> a.status == 200).map(a -> a.execution).toList();
        long at = Run.awaitCount("executions resumed", resumedBefore + ids.size(), 100, 60,
                () -> run.executorCounter(Run.RESUMED));
        long completed = run.db().queryLong("SELECT count(*) FROM attune.execution WHERE id = ANY(?) "
                + "AND status = 'completed'", run.db().bigints(ids));
        if (completed != ids.size()) {
            throw new IllegalStateException(completed + " of " + ids.size() + " answered executions are completed");
        }
        return at;
    }

    /** Waits (up to 30 s without progress) until a notification arrived for every answered inquiry. */
    private static long awaitNotified(NotificationListener listener, List<Answer> answers) {
        List<Answer> answered = answers.stream().filter(a -> a.status == 200).toList();
        try {
            return Run.awaitCount("responded notifications", answered.size(), 50, 30,
                    () -> answered.stream().filter(a -> listener.arrival(a.inquiry) != null).count());
        } catch (IllegalStateException e) {
            return System.nanoTime(); // reported as missing
        }
    }

    private static void report(Run run, List<Answer> answers, long[] span, long completedAt, long notifiedBy,
                               NotificationListener listener) {
        Database db = run.db();
        List<Long> took = new ArrayList<>();
        List<Long> resumed = new ArrayList<>();
        List<Long> notified = new ArrayList<>();
        int refused = 0;
        int missing = 0;
        java.util.Map<Long, Long> updated = new java.util.HashMap<>();
        for (long[] row : db.queryPairs("SELECT id, (extract(epoch FROM updated) * 1000000)::bigint "
                + "FROM attune.execution WHERE id = ANY(?)", db.bigints(answers.stream().map(a -> a.execution).toList()))) {
            updated.put(row[0], row[1]);
        }
        String firstError = null;
        for (Answer a : answers) {
            took.add(a.tookNanos);
            if (a.status != 200) {
                refused++;
                firstError = firstError == null ? (a.error != null ? a.error : "HTTP " + a.status) : firstError;
                continue;
            }
            resumed.add((updated.get(a.execution) - a.sentMicros) * 1_000);
            Long arrival = listener.arrival(a.inquiry);
            if (arrival == null) {
                missing++;
            } else {
                notified.add(arrival - a.sentNanos);
            }
        }
        Latencies latency = Latencies.ofNanos(took);
        Latencies toCompleted = Latencies.ofNanos(resumed);
        Latencies toNotified = Latencies.ofNanos(notified);
        double seconds = (span[1] - span[0]) / 1e9;
        double perSecond = answers.size() / seconds;
        int clients = run.options().clients();
        Report report = run.report();
        report.row("3", "Respond: " + clients + " concurrent clients answering distinct pending inquiries over HTTP",
                Format.rate(perSecond) + " requests/s; latency " + latency.describe() + "; non-200: " + refused,
                "p99 < 50 ms", Report.Verdict.of(latency.p99Millis() < TARGET_MILLIS && refused == 0));
        report.row("3", "Respond → execution `completed` (resumed by the executor)", toCompleted.describe(),
                "p99 < 50 ms", Report.Verdict.of(toCompleted.p99Millis() < TARGET_MILLIS));
        report.row("4", "Notification: respond → the `responded` notification at a connected WebSocket client",
                toNotified.describe() + "; missing: " + missing, "p99 < 50 ms",
                Report.Verdict.of(toNotified.p99Millis() < TARGET_MILLIS && missing == 0));
        report.note(String.format("(3) %,d answers in %s after a warm-up of %,d; all executions completed %s after "
                        + "the first answer; max latency %s", answers.size(), Format.seconds(seconds),
                run.options().warmUpResponses(), Format.seconds((completedAt - span[0]) / 1e9),
                Format.millis(latency.max())));
        report.note(String.format("(3) respond → completed is the execution's `updated` (set by the database in the "
                + "resuming transaction) minus the request's send time, same clock; max %s", Format.millis(toCompleted.max())));
        report.note(String.format("(4) one client subscribed to `{\"entity_type\": \"inquiry\", \"activity\": "
                + "\"responded\"}`; %,d of %,d notifications arrived, the last %s after the first answer, max %s%s",
                notified.size(), answers.size() - refused, Format.seconds((notifiedBy - span[0]) / 1e9),
                Format.millis(toNotified.max()), listener.closedWith() == null ? "" : "; socket " + listener.closedWith()));
        if (firstError != null) {
            report.note("(3) first refused answer: " + firstError);
        }
        Run.progress("%s requests/s, latency %s; resumed %s; notified %s (%d missing, %d non-200)",
                Format.rate(perSecond), latency.describe(), toCompleted.describe(), toNotified.describe(), missing,
                refused);
    }
}
