package io.attune.core.inquiry;

import io.attune.model.InquiryStatus;
import io.attune.model.rest.InquirySummary;
import io.attune.model.rest.InquiryView;
import tools.jackson.databind.JsonNode;

import java.time.Instant;

public record Inquiry(long id, long execution, String prompt, JsonNode responseSchema, Long assignedTo,
                      InquiryStatus status, JsonNode response, Long respondedBy, Instant timeoutAt,
                      Instant respondedAt, Instant created, Instant updated) {

    public InquiryView toView() {
        return new InquiryView(id, execution, prompt, responseSchema, assignedTo, status, response, respondedBy,
                timeoutAt, respondedAt, created, updated);
    }

    public InquirySummary toSummary() {
        return new InquirySummary(id, execution, prompt, assignedTo, status, response != null && !response.isNull(),
                timeoutAt, created);
    }
}
