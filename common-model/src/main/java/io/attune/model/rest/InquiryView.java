package io.attune.model.rest;

import io.attune.model.inquiry.Assignment;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.attune.model.InquiryStatus;
import tools.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * An inquiry in full (the seed's detail, plus {@code responded_by}); {@code workflow} only when its execution is a
 * task run of a workflow (docs/workflows.md), absent otherwise.
 */
public record InquiryView(long id, long execution, String prompt, JsonNode responseSchema, Assignment assignedTo,
                          InquiryStatus status, JsonNode response, Long respondedBy, Instant timeoutAt,
                          Instant respondedAt, Instant created, Instant updated,
                          @JsonInclude(JsonInclude.Include.NON_NULL) InquiryWorkflow workflow) {

    /** The same inquiry, named as waiting in {@code workflow}. */
    public InquiryView inWorkflow(InquiryWorkflow workflow) {
        return new InquiryView(id, execution, prompt, responseSchema, assignedTo, status, response, respondedBy,
                timeoutAt, respondedAt, created, updated, workflow);
    }
}
