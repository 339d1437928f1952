package io.attune.core.background;

import io.attune.core.error.FailureStreak;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntSupplier;

/**
 * One scheduled sweep of due rows (timeouts, escalations, reminders): every tick it runs batch after batch
 * ({@link Batches#drain}) until none is left, counts what it took, times the whole, and logs a run of failures the
 * {@link FailureStreak} way; a failure never ends the schedule, the next tick tries again.
 * <p>
 * With several batches in flight, as many transactions drain side by side (the ticking thread and helpers of this
 * sweep's own): each batch takes its rows {@code FOR UPDATE SKIP LOCKED}, so they split the rows between them as
 * replicas do, and one waits on the database while another's service prepares its events (docs/benchmarks.md).
 */
public final class Sweep implements AutoCloseable {
    private final Logger log;
    private final int batchSize;
    private final IntSupplier oneBatch;
    private final Counter taken;
    private final Timer timer;
    private final FailureStreak failures;
    private final String tookMessage;
    private final ExecutorService helpers;
    private final int batchesInFlight;
    private volatile boolean closed;

    /**
     * @param job         names the sweep in log lines ("Timeout check")
     * @param interval    its schedule, for the failure log
     * @param oneBatch    takes at most {@code batchSize} due rows in one transaction and says how many it took
     * @param tookMessage logged with the total when a tick took any ("Timed out {} inquiries")
     * @param timer       times each tick, or null
     */
    public Sweep(Logger log, String job, Duration interval, int batchSize, IntSupplier oneBatch, Counter taken,
                 Timer timer, Counter failures, String tookMessage) {
        this(log, job, interval, batchSize, 1, oneBatch, taken, timer, failures, tookMessage);
    }

    /** @param batchesInFlight transactions draining side by side (at least 1) */
    public Sweep(Logger log, String job, Duration interval, int batchSize, int batchesInFlight, IntSupplier oneBatch,
                 Counter taken, Timer timer, Counter failures, String tookMessage) {
        if (batchesInFlight < 1) {
            throw new IllegalArgumentException(job + ": batches in flight must be at least 1");
        }
        this.batchesInFlight = batchesInFlight;
        this.helpers = batchesInFlight == 1 ? null : Executors.newFixedThreadPool(batchesInFlight - 1,
                DaemonThreads.named(job.toLowerCase(Locale.ROOT).replace(' ', '-') + "-"));
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
        int total = helpers == null ? drainOne() : drainSideBySide();
        if (total > 0) {
            log.info(tookMessage, total);
        }
        return total;
    }

    private int drainOne() {
        return Batches.drain(batchSize, () -> {
            if (closed) {
                return 0; // shutting down: the rest waits for the next start, still due
            }
            int batch = oneBatch.getAsInt();
            taken.increment(batch);
            return batch;
        });
    }

    /** Every drain runs to its end, whatever the others do; the first failure is thrown once all have ended. */
    private int drainSideBySide() {
        List<Future<Integer>> others = new ArrayList<>();
        for (int i = 1; i < batchesInFlight; i++) {
            others.add(helpers.submit(this::drainOne));
        }
        int total = 0;
        RuntimeException failure = null;
        try {
            total += drainOne();
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<Integer> other : others) {
            try {
                total += other.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                others.forEach(f -> f.cancel(true));
                throw new IllegalStateException("interrupted while the sweep's batches were in flight", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return total;
    }

    /** Ends every drain after the batch it is in; the rows still due are taken after the next start. */
    @Override
    public void close() {
        closed = true;
        if (helpers != null) {
            helpers.shutdown();
        }
    }
}
