package io.attune.api.external;

import io.attune.core.background.DaemonThreads;
import io.attune.core.error.FailureStreak;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * The bindings of this replica's wait queue to the decisions' routing keys, in place only while the replica has waits:
 * a replica nobody long-polls is sent no events (every answer, timeout and cancellation would otherwise reach every
 * api replica, to be parsed and dropped).
 *
 * <p>Binding is a round trip to the broker, so it never runs on a request thread: {@link #want} asks for it and
 * returns. A wait therefore may read its inquiry before the binding is in place, and a decision committed between
 * that read and the binding would send its event nowhere. So every new binding is followed by {@code afterBinding}
 * (a check of all waits in one query): what was decided before the binding is found in the database, what is decided
 * after it arrives as an event. Binding and unbinding run one at a time on a thread of their own; the bindings go
 * when the replica has had no wait for {@code unbindAfter}.
 */
final class WaitBindings implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WaitBindings.class);
    /** After a failed binding (the broker away), the next try waits this long; the waits' sweep covers meanwhile. */
    static final Duration RETRY = Duration.ofSeconds(5);

    private final AmqpAdmin admin;
    private final List<Binding> bindings;
    private final long unbindAfterNanos;
    private final Runnable afterBinding;
    private final FailureStreak failures;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            DaemonThreads.named("inquiry-wait-bindings-"));
    private final AtomicBoolean bindQueued = new AtomicBoolean();
    // volatile, and each side writes its own before reading the other's: a wait that arrives while the bindings are
    // being removed either sees bound == false (and binds again) or is seen by the removal (which then keeps them)
    private volatile boolean bound;
    private volatile long lastWanted = System.nanoTime();
    private volatile long retryAt = System.nanoTime();

    WaitBindings(AmqpAdmin admin, List<Binding> bindings, Duration unbindAfter, Runnable afterBinding,
                 MeterRegistry meters) {
        this.admin = admin;
        this.bindings = List.copyOf(bindings);
        this.unbindAfterNanos = unbindAfter.toNanos();
        this.afterBinding = afterBinding;
        this.failures = new FailureStreak("Binding the wait queue", RETRY, log, Counter.builder(
                "attune.inquiry.waits.binding.failures")
                .description("failed attempts to bind this replica's wait queue (the broker away)").register(meters));
    }

    /** A wait is about to read its inquiry: events about decisions should reach this replica from now on. */
    void want() {
        lastWanted = System.nanoTime();
        if (bound || System.nanoTime() - retryAt < 0 || !bindQueued.compareAndSet(false, true)) {
            return; // bound, waiting to retry, or a binding already on its way (its check covers this wait too)
        }
        worker.execute(() -> {
            bindQueued.set(false);
            bind();
        });
    }

    /** Whether the queue is bound, as far as this replica knows. */
    boolean bound() {
        return bound;
    }

    /** Called every sweep: without waits for {@code unbindAfter}, the bindings go. */
    void releaseIfIdle(BooleanSupplier noWaits) {
        if (bound && idle(noWaits)) {
            worker.execute(() -> unbind(noWaits));
        }
    }

    /** No wait now, and none wanted the bindings for {@code unbindAfter}. */
    private boolean idle(BooleanSupplier noWaits) {
        return noWaits.getAsBoolean() && System.nanoTime() - lastWanted - unbindAfterNanos >= 0;
    }

    /**
     * The queue consumes again (start-up, a new connection, a restarted consumer): a new queue has no bindings, an old
     * one may still have them. Bound again if there are waits; otherwise what was bound is removed. Nothing is removed
     * at start-up: the queue is new, and some brokers (the embedded one) answer the removal of a binding that is not
     * there with an error that closes the channel.
     */
    void consuming(BooleanSupplier noWaits) {
        retryAt = System.nanoTime(); // the queue is there again: a binding that failed meanwhile may be tried at once
        worker.execute(() -> {
            boolean wasBound = bound;
            bound = false;
            if (noWaits.getAsBoolean()) {
                if (wasBound) {
                    remove();
                }
            } else {
                bind();
            }
        });
    }

    private void bind() {
        if (bound) {
            return;
        }
        try {
            bindings.forEach(admin::declareBinding);
            bound = true;
            failures.succeeded();
        } catch (RuntimeException e) {
            retryAt = System.nanoTime() + RETRY.toNanos();
            failures.failed(e);
            return;
        }
        afterBinding.run();
    }

    private void unbind(BooleanSupplier noWaits) {
        if (!bound) {
            return;
        }
        bound = false;
        if (!idle(noWaits)) {
            bound = true; // a wait came meanwhile and counted on the bindings
            return;
        }
        remove();
    }

    private void remove() {
        try {
            bindings.forEach(admin::removeBinding);
        } catch (RuntimeException e) {
            // left in place, they only bring events this replica drops; the next binding declares them anew anyway
            log.debug("Unbinding the wait queue failed: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
