package io.attune.core.inquiry;

import io.attune.core.error.DomainException;
import io.attune.core.execution.Execution;
import io.attune.core.execution.ExecutionRepository;
import io.attune.core.identity.Actor;
import org.springframework.stereotype.Component;

/**
 * Who may read an execution (docs/protocol.md §4 visibility): admins every one, others one they requested or one with
 * an inquiry they may see. Here rather than in {@code execution}, because the rule reads inquiries.
 */
@Component
public class ExecutionVisibility {
    private final ExecutionRepository executions;
    private final InquiryRepository inquiries;

    public ExecutionVisibility(ExecutionRepository executions, InquiryRepository inquiries) {
        this.executions = executions;
        this.inquiries = inquiries;
    }

    /** The execution if the actor may read it, otherwise 404 exactly as if it did not exist. */
    public Execution visible(long executionId, Actor actor) {
        return executions.find(executionId)
                .filter(e -> actor.isAdmin() || (actor.id() != null && actor.id().equals(e.requestedBy()))
                        || inquiries.anyVisibleForExecution(e.id(), actor))
                .orElseThrow(() -> DomainException.notFound("execution " + executionId + " not found"));
    }
}
