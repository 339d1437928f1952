package io.attune.core.inquiry;

import io.attune.core.error.DomainException;
import io.attune.core.execution.Execution;
import io.attune.core.execution.ExecutionTransitions;
import io.attune.model.ExecutionStatus;
import io.attune.model.InquiryStatus;
import io.attune.model.inquiry.InquiryOutcome;
import io.attune.model.message.InquiryResponded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
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
    private final ResultMask resultMask;

    public ExecutionResumption(InquiryRepository inquiries, ExecutionTransitions executions, ResultMask resultMask) {
        this.inquiries = inquiries;
        this.executions = executions;
        this.resultMask = resultMask;
    }

    /**
     * Resumes the execution an answered inquiry paused: {@code completed}, with {@code __inquiry} replaced by the
     * answer as stored (the database, not the message, is the source of truth). Does nothing — and says so — when the
     * inquiry is not answered or the execution no longer waits (already resumed, cancelled, timed out).
     */
    @Transactional
    public Optional<Execution> resume(InquiryResponded responded, UUID correlationId) {
        // a null correlation id is allowed (a new one is made): List.of would refuse it
        return resumeAll(List.of(responded), Collections.singletonList(correlationId)).get(0);
    }

    /**
     * Several answers in one transaction (one commit, one audit-chain append), each resuming its execution exactly
     * as {@link #resume} alone would: their inquiries read in one statement, their executions resumed in one
     * (locked in id order) and their events stored in one batch, each with its answer's correlation id. What
     * {@link #resume} would throw throws here for them all, and nothing is kept. The results are in the answers'
     * order; an answer given twice in a batch resumes its execution once, for the first.
     */
    @Transactional
    public List<Optional<Execution>> resumeAll(List<InquiryResponded> answers, List<UUID> correlationIds) {
        Map<Long, Inquiry> found = inquiries.findAll(answers.stream().map(InquiryResponded::inquiryId).toList());
        Map<Long, InquiryOutcome> outcomes = new HashMap<>();
        Map<Long, UUID> correlations = new HashMap<>();
        for (int i = 0; i < answers.size(); i++) {
            long inquiryId = answers.get(i).inquiryId();
            Inquiry inquiry = found.get(inquiryId);
            if (inquiry == null) {
                throw DomainException.notFound("inquiry " + inquiryId + " does not exist");
            }
            if (inquiry.status() != InquiryStatus.RESPONDED) {
                log.warn("InquiryResponded for inquiry {} which is {}: ignored", inquiry.id(), inquiry.status().wire());
                continue;
            }
            outcomes.putIfAbsent(inquiry.execution(), InquiryOutcome.responded(inquiry.id(), inquiry.prompt(),
                    inquiry.response(), inquiry.respondedBy(), inquiry.respondedAt(), inquiry.quorumAnswers()));
            correlations.putIfAbsent(inquiry.execution(), correlationIds.get(i));
        }
        Map<Long, Execution> resumed = new HashMap<>();
        executions.finishPaused(outcomes, ExecutionStatus.COMPLETED, correlations::get,
                resultMask.knowing(found.values())).forEach(execution -> resumed.put(execution.id(), execution));

        List<Optional<Execution>> results = new ArrayList<>(answers.size());
        for (InquiryResponded answer : answers) {
            Inquiry inquiry = found.get(answer.inquiryId());
            // remove: an execution is reported resumed by the first of its answers only
            results.add(Optional.ofNullable(inquiry.status() == InquiryStatus.RESPONDED
                    ? resumed.remove(inquiry.execution()) : null));
        }
        return results;
    }
}
