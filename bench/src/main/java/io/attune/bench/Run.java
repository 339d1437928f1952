package io.attune.bench;

import io.attune.model.rest.TokenResponse;

import java.nio.file.Path;

/** What every figure works with during one run. */
public record Run(BenchOptions options, Endpoints endpoints, Path logs, Database db, Broker broker, ApiClient api,
                  BenchSuite suite, Report report, TokenResponse admin) {
    /** Counters the services move after the commit of what they count (docs/executor.md, Metrics). */
    static final String EXECUTOR = "executor-service";
    static final String OPENED = "attune_inquiries_opened_total";
    static final String RESUMED = "attune_executions_resumed_total";
    static final String TIMED_OUT = "attune_inquiries_timed_out_total";
    static final String PUBLISHED = "attune_outbox_published_total";
    static final String PRUNED = "attune_event_pruned_total";
    /** An event the relay has not published yet: no id, or one after its record (V27). */
    static final String UNPUBLISHED = "(id IS NULL OR id > (SELECT published_through FROM attune.event_relay))";

    /** A counter of the executor. */
    public long executorCounter(String name) {
        return Math.round(suite.metric(EXECUTOR, name));
    }

    /** Events published by every outbox relay (api-service's and the executor's; the notifier has none). */
    public long published() {
        return Math.round(suite.metric("api-service", PUBLISHED) + suite.metric(EXECUTOR, PUBLISHED));
    }

    public String adminToken() {
        return admin.accessToken();
    }

    public static void progress(String format, Object... args) {
        System.out.printf("  " + format + "%n", args);
    }

    /**
     * Polls {@code count} every {@code pollMillis} until it reaches {@code target}; fails when it stops moving for
     * {@code stallSeconds}. Returns the {@link System#nanoTime()} at which it was first seen there.
     */
    public static long awaitCount(String what, long target, long pollMillis, int stallSeconds,
                                  java.util.function.LongSupplier count) {
        long last = -1;
        long lastChange = System.nanoTime();
        long lastReport = System.nanoTime();
        while (true) {
            long now = count.getAsLong();
            long at = System.nanoTime();
            if (now >= target) {
                return at;
            }
            if (now != last) {
                last = now;
                lastChange = at;
            } else if (at - lastChange > stallSeconds * 1_000_000_000L) {
                throw new IllegalStateException(what + ": stuck at " + now + " of " + target + " for " + stallSeconds
                        + " s");
            }
            if (at - lastReport > 10_000_000_000L) {
                progress("… %s: %,d of %,d", what, now, target);
                lastReport = at;
            }
            Database.sleep(pollMillis);
        }
    }
}
