package io.attune.executor.resume;

import io.attune.core.execution.Execution;
import io.attune.core.inquiry.ExecutionResumption;
import io.attune.model.message.InquiryResponded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The inquiry handler (docs/protocol.md §3.3): an answered inquiry resumes its execution. Idempotent: the core resumes only
 * an execution that is still paused, so a redelivered answer, or a late one for an execution cancelled or timed out
 * meanwhile, changes nothing. An unknown inquiry throws (retried a bounded number of times, then dead-lettered).
 */
@Service
public class InquiryResponseHandler {
    private static final Logger log = LoggerFactory.getLogger(InquiryResponseHandler.class);

    private final ExecutionResumption resumption;

    public InquiryResponseHandler(ExecutionResumption resumption) {
        this.resumption = resumption;
    }

    /** The resumed execution, or empty when there was nothing (left) to resume. */
    public Optional<Execution> onResponded(InquiryResponded responded, UUID correlationId) {
        Optional<Execution> resumed = resumption.resume(responded, correlationId);
        logged(responded, resumed);
        return resumed;
    }

    /**
     * Answers that arrived together, resumed in one transaction, each as {@link #onResponded} would; throws for all
     * of them when one would throw alone (the consumer then takes each on its own).
     */
    public List<Optional<Execution>> onRespondedAll(List<InquiryResponded> answers, List<UUID> correlationIds) {
        List<Optional<Execution>> resumed = resumption.resumeAll(answers, correlationIds);
        for (int i = 0; i < answers.size(); i++) {
            logged(answers.get(i), resumed.get(i));
        }
        return resumed;
    }

    private static void logged(InquiryResponded responded, Optional<Execution> resumed) {
        if (resumed.isPresent()) {
            log.info("Execution {} resumed by the answer to inquiry {}", resumed.get().id(), responded.inquiryId());
        } else {
            log.info("InquiryResponded for inquiry {}: execution {} no longer paused, nothing to resume",
                    responded.inquiryId(), responded.executionId());
        }
    }
}
