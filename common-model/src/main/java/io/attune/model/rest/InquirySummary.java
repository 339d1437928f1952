package io.attune.model.rest;

import io.attune.model.inquiry.Assignment;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.attune.model.InquiryStatus;

import java.time.Instant;

/**
 * An inquiry as the list shows it (the seed's list item); {@code workflow} only when its execution is a task run of a
 * workflow (docs/workflows.md), absent otherwise.
 */
public record InquirySummary(long id, long execution, String prompt, Assignment assignedTo, InquiryStatus status,
                             boolean hasResponse, Instant timeoutAt, Instant created,
                             @JsonInclude(JsonInclude.Include.NON_NULL) InquiryWorkflow workflow) {

    /** The same inquiry, named as waiting in {@code workflow}. */
    public InquirySummary inWorkflow(InquiryWorkflow workflow) {
        return new InquirySummary(id, execution, prompt, assignedTo, status, hasResponse, timeoutAt, created, workflow);
    }
}
