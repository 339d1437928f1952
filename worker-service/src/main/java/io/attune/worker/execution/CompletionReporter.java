package io.attune.worker.execution;

import io.attune.core.event.Outbox;
import io.attune.core.execution.Execution;
import io.attune.core.error.Failures;
import io.attune.model.json.Json;
import io.attune.model.message.ExecutionCompleted;
import io.attune.worker.action.ActionOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Stores a run's ExecutionCompleted in the outbox and gives up the execution's lease in the same transaction; the
 * relay publishes the report with confirms. The outcome exists nowhere
 * else (the request is still unacknowledged and its execution is {@code running}, so a redelivery would not run it
 * again), so a database outage is waited out here rather than handed back to the consumer.
 */
@Component
public class CompletionReporter {
    private static final Logger log = LoggerFactory.getLogger(CompletionReporter.class);

    private final Outbox outbox;
    private final TransactionTemplate transactions;
    private final LeaseKeeper leases;
    private volatile boolean stopping;

    public CompletionReporter(Outbox outbox, TransactionTemplate transactions, LeaseKeeper leases) {
        this.outbox = outbox;
        this.transactions = transactions;
        this.leases = leases;
    }

    public void report(Execution execution, ActionOutcome outcome, UUID correlationId) {
        ExecutionCompleted completed = new ExecutionCompleted(execution.id(), execution.actionRef(),
                outcome.status(), outcome.result(), Instant.now().truncatedTo(ChronoUnit.MICROS));
        // An interrupt (the worker shutting down) must not cost the outcome: it is stored first, then passed on.
        boolean interrupted = Thread.interrupted();
        try {
            store(execution, completed, correlationId);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void store(Execution execution, ExecutionCompleted completed, UUID correlationId) {
        long backoffMillis = 200;
        boolean lastTry = false;
        while (true) {
            try {
                boolean leaseHeld = leases.release(execution.id(), transactions,
                        () -> outbox.append(completed, correlationId));
                if (!leaseHeld) {
                    log.warn("Execution {}: outcome {} reported, but an executor had failed the execution as \"worker "
                            + "lost\" already (this worker could not renew its lease in time): the outcome will be "
                            + "ignored", execution.id(), completed.status().wire());
                }
                return;
            } catch (RuntimeException e) {
                if (!Failures.isOutage(e) || stopping || lastTry) {
                    log.error("Execution {}: its outcome could not be stored and is lost; the execution stays "
                            + "running. Outcome: {}", execution.id(), Json.write(completed), e);
                    throw e;
                }
                log.warn("Execution {}: outcome {} not stored yet, retrying in {} ms: {}", execution.id(),
                        completed.status().wire(), backoffMillis, e.getMessage());
            }
            try {
                Thread.sleep(backoffMillis);
            } catch (InterruptedException e) {
                lastTry = true; // interrupted again: one more try, then give up
            }
            backoffMillis = Math.min(backoffMillis * 2, 5_000);
        }
    }

    /** From now on an outage ends the retries (at shutdown). */
    void stop() {
        stopping = true;
    }
}
