package io.attune.worker.execution;

import io.attune.core.execution.Execution;
import io.attune.core.execution.ExecutionRepository;
import io.attune.core.execution.ExecutionTransitions;
import io.attune.core.messaging.EnvelopeHandler;
import io.attune.core.workflow.WorkflowRepository;
import io.attune.model.message.ExecutionRequested;
import io.attune.model.message.MessageEnvelope;
import io.attune.model.message.MessagePayload;
import io.attune.worker.action.Action;
import io.attune.worker.action.ActionCatalog;
import io.attune.worker.action.ActionException;
import io.attune.worker.action.ActionOutcome;
import io.attune.worker.action.ActionRunner;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Consumes ExecutionRequested: claims the execution ({@code requested} → {@code running}), runs its action and
 * reports the outcome as ExecutionCompleted — all in the listener thread, so that the request is acknowledged only
 * once the outcome is stored. The claim makes redeliveries harmless: an execution that is no longer
 * {@code requested} is never run again. While the action runs, the worker renews the execution's lease
 * ({@link LeaseKeeper}); if the worker dies, an executor fails the execution as "worker lost" (docs/worker.md).
 */
@Component
public class ExecutionRequestHandler implements EnvelopeHandler {
    private static final Logger log = LoggerFactory.getLogger(ExecutionRequestHandler.class);

    private final ExecutionTransitions transitions;
    private final ExecutionRepository executions;
    private final ActionCatalog catalog;
    private final ActionRunner runner;
    private final CompletionReporter reporter;
    private final LeaseKeeper leases;
    private final TransactionTemplate transactions;
    private final MeterRegistry meters;
    private final WorkflowRepository workflows;
    private final AtomicInteger inFlight = new AtomicInteger();

    public ExecutionRequestHandler(ExecutionTransitions transitions, ExecutionRepository executions,
                                   ActionCatalog catalog, ActionRunner runner, CompletionReporter reporter,
                                   LeaseKeeper leases, TransactionTemplate transactions, MeterRegistry meters,
                                   WorkflowRepository workflows) {
        this.transitions = transitions;
        this.executions = executions;
        this.catalog = catalog;
        this.runner = runner;
        this.reporter = reporter;
        this.leases = leases;
        this.transactions = transactions;
        this.meters = meters;
        this.workflows = workflows;
        meters.gauge("attune.worker.actions.running", runner, ActionRunner::runningCount);
    }

    @Override
    public void handle(MessageEnvelope<MessagePayload> envelope) {
        if (!(envelope.payload() instanceof ExecutionRequested requested)) {
            log.warn("Ignored {} {}: the worker consumes ExecutionRequested only", envelope.messageType().wireName(),
                    envelope.messageId());
            return;
        }
        if (workflows.isWorkflow(requested.executionId())) {
            log.debug("Execution {} is a workflow: the executor runs it", requested.executionId());
            return;
        }
        inFlight.incrementAndGet();
        try {
            // The claim and the lease commit together: a running execution always has a lease that can lapse.
            Optional<Execution> claimed = transactions.execute(tx -> {
                Optional<Execution> running = transitions.markRunning(requested.executionId(),
                        envelope.correlationId());
                running.ifPresent(e -> leases.acquire(e.id()));
                return running;
            });
            if (claimed.isEmpty()) {
                executions.find(requested.executionId()).ifPresentOrElse(
                        e -> log.info("Execution {} is {}, not requested: already taken, not run again", e.id(),
                                e.status().wire()),
                        () -> log.warn("Execution {} does not exist: request ignored", requested.executionId()));
                return;
            }
            Execution execution = claimed.get();
            leases.track(execution.id());
            try {
                Timer.Sample sample = Timer.start(meters);
                ActionOutcome outcome = execute(execution);
                sample.stop(meters.timer("attune.worker.action.duration", "status", outcome.status().wire()));
                reporter.report(execution, outcome, envelope.correlationId());
            } finally {
                // An outcome that could not be stored must not keep the lease alive: let it lapse ("worker lost").
                leases.forget(execution.id());
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** Runs the execution's action (as stored: the database, not the message, is the source of truth). */
    private ActionOutcome execute(Execution execution) {
        try {
            Action action = catalog.resolve(execution.actionRef());
            return runner.run(action, execution.id(), execution.parameters());
        } catch (ActionException e) {
            log.warn("Execution {}: {}", execution.id(), e.getMessage());
            return ActionOutcome.failed(e.getMessage());
        } catch (RuntimeException e) {
            log.error("Execution {}: the worker could not run {}", execution.id(), execution.actionRef(), e);
            return ActionOutcome.failed("the worker could not run the action: " + e);
        }
    }

    /** Requests being handled right now (claimed and not yet reported). */
    int inFlight() {
        return inFlight.get();
    }
}
