package io.attune.core.background;

import io.attune.core.error.FailureStreak;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.function.IntSupplier;

/**
 * One scheduled sweep of due rows (timeouts, escalations, reminders): every tick it runs batch after batch
 * ({@link Batches#drain}) until none is left, counts what it took, times the whole, and logs a run of failures the
 * {@link FailureStreak} way; a failure never ends the schedule, the next tick tries again.
 */
public final class Sweep {
    private final Logger log;
    private final int batchSize;
    private final IntSupplier oneBatch;
    private final Counter taken;
    private final Timer timer;
    private final FailureStreak failures;
    private final String tookMessage;

    /**
     * @param job         names the sweep in log lines ("Timeout check")
     * @param interval    its schedule, for the failure log
     * @param oneBatch    takes at most {@code batchSize} due rows in one transaction and says how many it took
     * @param tookMessage logged with the total when a tick took any ("Timed out {} inquiries")
     * @param timer       times each tick, or null
     */
    public Sweep(Logger log, String job, Duration interval, int batchSize, IntSupplier oneBatch, Counter taken,
                 Timer timer, Counter failures, String tookMessage) {
        this.log = log;
        this.batchSize = batchSize;
        this.oneBatch = oneBatch;
        this.taken = taken;
        this.timer = timer;
        this.failures = new FailureStreak(job, interval, log, failures);
        this.tookMessage = tookMessage;
    }

    /** One tick as the scheduler runs it: failures logged and counted, never thrown. */
    public void tick() {
        try {
            run();
            failures.succeeded();
        } catch (RuntimeException e) {
            failures.failed(e);
        }
    }

    /** Takes everything due now; returns how many this replica took. */
    public int run() {
        return timer == null ? drain() : timer.record(this::drain);
    }

    private int drain() {
        int total = Batches.drain(batchSize, () -> {
            int batch = oneBatch.getAsInt();
            taken.increment(batch);
            return batch;
        });
        if (total > 0) {
            log.info(tookMessage, total);
        }
        return total;
    }
}
