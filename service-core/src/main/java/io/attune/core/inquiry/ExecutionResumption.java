package io.attune.core.inquiry;

import io.attune.core.error.DomainException;
import io.attune.core.execution.Execution;
import io.attune.core.execution.ExecutionTransitions;
import io.attune.core.execution.LockOrder;
import io.attune.model.ExecutionStatus;
import io.attune.model.InquiryStatus;
import io.attune.model.inquiry.InquiryOutcome;
import io.attune.model.message.InquiryResponded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** An answered inquiry resumes the execution it paused (the executor's inquiry handler, docs/protocol.md §3.3). */
@Service
public class ExecutionResumption {
    private static final Logger log = LoggerFactory.getLogger(ExecutionResumption.class);

    private final InquiryRepository inquiries;
    private final ExecutionTransitions executions;

    public ExecutionResumption(InquiryRepository inquiries, ExecutionTransitions executions) {
        this.inquiries = inquiries;
        this.executions = executions;
    }

    /**
     * Resumes the execution an answered inquiry paused: {@code completed}, with {@code __inquiry} replaced by the
     * answer as stored (the database, not the message, is the source of truth). Does nothing — and says so — when the
     * inquiry is not answered or the execution no longer waits (already resumed, cancelled, timed out).
     */
    @Transactional
    public Optional<Execution> resume(InquiryResponded responded, UUID correlationId) {
        Inquiry inquiry = inquiries.find(responded.inquiryId())
                .orElseThrow(() -> DomainException.notFound("inquiry " + responded.inquiryId() + " does not exist"));
        if (inquiry.status() != InquiryStatus.RESPONDED) {
            log.warn("InquiryResponded for inquiry {} which is {}: ignored", inquiry.id(), inquiry.status().wire());
            return Optional.empty();
        }
        InquiryOutcome outcome = InquiryOutcome.responded(inquiry.id(), inquiry.prompt(), inquiry.response(),
                inquiry.respondedBy(), inquiry.respondedAt(), inquiry.quorumAnswers());
        List<Execution> resumed = executions.finishPaused(Map.of(inquiry.execution(), outcome),
                ExecutionStatus.COMPLETED, correlationId);
        return resumed.stream().findFirst();
    }

    /**
     * Several answers in one transaction (one commit, one audit-chain append), each resuming its execution exactly
     * as {@link #resume} alone would, executions locked in id order; what {@link #resume} would throw throws here for
     * them all, and nothing is kept. The results are in the answers' order.
     */
    @Transactional
    public List<Optional<Execution>> resumeAll(List<InquiryResponded> answers, List<UUID> correlationIds) {
        List<Optional<Execution>> resumed = new java.util.ArrayList<>(java.util.Collections.nCopies(answers.size(),
                Optional.empty()));
        for (int i : LockOrder.byExecution(answers, InquiryResponded::executionId)) {
            resumed.set(i, resume(answers.get(i), correlationIds.get(i)));
        }
        return resumed;
    }
}
