package io.attune.core.inquiry;

import io.attune.core.error.DomainException;
import io.attune.core.execution.Execution;
import io.attune.core.execution.ExecutionRepository;
import io.attune.core.execution.ExecutionTransitions;
import io.attune.core.identity.Actor;
import io.attune.model.ExecutionStatus;
import io.attune.model.json.Json;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.node.ObjectNode;

import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/**
 * Cancelling an execution and everything still running under it (a workflow's task runs, at any depth): pending
 * inquiries are cancelled through the inquiry transitions, waiting or running task runs become {@code cancelled}
 * (a worker's late report for one is then ignored), and every change is announced in the same transaction.
 */
@Service
public class ExecutionCancellation {
    /** Statuses an execution can still leave. */
    public static final Set<ExecutionStatus> UNFINISHED = EnumSet.of(ExecutionStatus.REQUESTED,
            ExecutionStatus.RUNNING, ExecutionStatus.PAUSED);

    private final ExecutionRepository executions;
    private final ExecutionTransitions transitions;
    private final ExecutionVisibility visibility;
    private final InquiryTransitions inquiries;

    public ExecutionCancellation(ExecutionRepository executions, ExecutionTransitions transitions,
                                 ExecutionVisibility visibility, InquiryTransitions inquiries) {
        this.executions = executions;
        this.transitions = transitions;
        this.visibility = visibility;
        this.inquiries = inquiries;
    }

    /**
     * {@code POST /api/v1/executions/{id}/cancel}: an admin or the execution's requester cancels it with the rest of
     * its chain. 404 when the actor may not read it, 403 when they may read but not cancel it, 409 when it has
     * already ended.
     */
    @Transactional
    public Execution cancel(long executionId, Actor actor, UUID correlationId) {
        Execution visible = visibility.visible(executionId, actor);
        boolean requester = actor.id() != null && actor.id().equals(visible.requestedBy());
        if (!actor.isAdmin() && !requester) {
            throw DomainException.forbidden("only an admin or the identity that started execution " + executionId
                    + " may cancel it");
        }
        Execution locked = executions.lock(executionId).orElseThrow();
        if (!UNFINISHED.contains(locked.status())) {
            throw DomainException.conflict("execution " + executionId + " is already " + locked.status().wire());
        }
        return cancelTree(locked, actor, correlationId);
    }

    /** Cancels every unfinished descendant, then the execution itself (which the caller has locked). */
    @Transactional
    public Execution cancelTree(Execution locked, Actor actor, UUID correlationId) {
        for (Execution child : executions.children(locked.id())) {
            if (UNFINISHED.contains(child.status())) {
                cancelTree(executions.lock(child.id()).orElseThrow(), actor, correlationId);
            }
        }
        return cancelOne(locked, actor, correlationId);
    }

    private Execution cancelOne(Execution execution, Actor actor, UUID correlationId) {
        if (execution.status() == ExecutionStatus.PAUSED
                && inquiries.cancelPendingOf(execution.id(), actor, correlationId).isPresent()) {
            return executions.find(execution.id()).orElseThrow();
        }
        if (!UNFINISHED.contains(execution.status())) {
            return execution;
        }
        ObjectNode result = execution.result() != null && execution.result().isObject()
                ? (ObjectNode) execution.result().deepCopy() : Json.object();
        result.put("cancelled_by", actor.isSystem() ? "system" : String.valueOf(actor.id()));
        Execution cancelled = executions.update(execution, UNFINISHED, ExecutionStatus.CANCELLED, result)
                .orElseThrow(() -> new IllegalStateException("execution " + execution.id() + " changed under a lock"));
        transitions.announce(execution, cancelled, correlationId);
        return cancelled;
    }
}
