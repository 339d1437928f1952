package io.attune.core.background;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A sweep with several batches in flight: its transactions run side by side and split what is due between them (as
 * {@code FOR UPDATE SKIP LOCKED} does in the database, modelled here by one shared count), and a failing one neither
 * stops the others nor goes unnoticed.
 */
class SweepTest {
    private static final Logger log = LoggerFactory.getLogger(SweepTest.class);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void batchesInFlightRunSideBySideAndTakeEveryDueRowOnce() {
        AtomicInteger due = new AtomicInteger(10_005);
        CyclicBarrier allInFlight = new CyclicBarrier(3);
        ThreadLocal<Boolean> first = ThreadLocal.withInitial(() -> true);
        IntSupplier oneBatch = () -> {
            if (first.get()) {
                first.set(false);
                await(allInFlight); // fails unless three batches are in flight at once
            }
            return take(due, 100);
        };
        try (Sweep sweep = sweep(3, oneBatch)) {
            assertThat(sweep.run()).isEqualTo(10_005);
        }
        assertThat(due.get()).isZero();
        assertThat(meters.get("taken").counter().count()).isEqualTo(10_005);
    }

    @Test
    void aFailingBatchLeavesTheOthersToFinishAndFailsTheTick() {
        AtomicInteger due = new AtomicInteger(5_000);
        AtomicInteger calls = new AtomicInteger();
        IntSupplier oneBatch = () -> {
            if (calls.incrementAndGet() == 3) {
                throw new IllegalStateException("database unavailable");
            }
            return take(due, 100);
        };
        try (Sweep sweep = sweep(2, oneBatch)) {
            assertThatThrownBy(sweep::run).hasMessage("database unavailable");
            assertThat(due.get()).as("the other drain took the rest").isZero();

            due.set(250);
            sweep.tick(); // the failure is behind it: the next tick sweeps as usual
            assertThat(due.get()).isZero();
        }
        assertThat(meters.get("taken").counter().count()).isEqualTo(5_250);
    }

    @Test
    void aTickCountsAFailureInsteadOfThrowingIt() {
        try (Sweep sweep = sweep(2, () -> {
            throw new IllegalStateException("database unavailable");
        })) {
            sweep.tick();
        }
        assertThat(meters.get("failures").counter().count()).isEqualTo(1);
    }

    @Test
    void aClosedSweepEndsItsDrainsAfterTheBatchTheyAreIn() {
        AtomicInteger due = new AtomicInteger(10_000);
        Sweep[] sweep = new Sweep[1];
        AtomicInteger batches = new AtomicInteger();
        sweep[0] = sweep(2, () -> {
            if (batches.incrementAndGet() == 5) {
                sweep[0].close(); // as the service stops
            }
            return take(due, 100);
        });
        int taken = sweep[0].run();
        assertThat(taken).isLessThan(10_000).isEqualTo(10_000 - due.get());
        assertThat(batches.get()).as("the batches already in flight, and no more").isLessThanOrEqualTo(6);
    }

    @Test
    void atLeastOneBatchIsInFlight() {
        assertThatThrownBy(() -> sweep(0, () -> 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }

    private Sweep sweep(int batchesInFlight, IntSupplier oneBatch) {
        return new Sweep(log, "Test sweep", Duration.ofSeconds(1), 100, batchesInFlight, oneBatch,
                Counter.builder("taken").register(meters), null, Counter.builder("failures").register(meters),
                "Took {}");
    }

    private static int take(AtomicInteger due, int batch) {
        while (true) {
            int left = due.get();
            int taken = Math.min(batch, left);
            if (due.compareAndSet(left, left - taken)) {
                return taken;
            }
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the batches did not run side by side", e);
        }
    }
}
