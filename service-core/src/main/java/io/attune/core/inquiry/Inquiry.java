package io.attune.core.inquiry;

import io.attune.core.secret.SecretMask;
import io.attune.model.inquiry.Assignment;
import io.attune.model.InquiryStatus;
import io.attune.model.rest.InquirySummary;
import io.attune.model.rest.InquiryView;
import tools.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * An inquiry as stored: {@code response} in clear, for the executor; {@link #toView()} is what anyone else sees.
 * {@code assignment} is who may answer (null: anyone who can see it); {@code assignedTo} the identity when that is
 * exactly one user (the old column, kept for its readers).
 */
public record Inquiry(long id, long execution, String prompt, JsonNode responseSchema, Long assignedTo,
                      Assignment assignment, InquiryStatus status, JsonNode response, Long respondedBy, Instant timeoutAt,
                      Instant respondedAt, Instant created, Instant updated) {

    /** The inquiry as the API shows it: the schema's secrets in the response masked. */
    public InquiryView toView() {
        return new InquiryView(id, execution, prompt, responseSchema, assignment, status,
                SecretMask.mask(responseSchema, response), respondedBy,
                timeoutAt, respondedAt, created, updated, null);
    }

    public InquirySummary toSummary() {
        return new InquirySummary(id, execution, prompt, assignment, status, response != null && !response.isNull(),
                timeoutAt, created, null);
    }
}
