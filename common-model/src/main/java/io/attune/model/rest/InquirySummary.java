package io.attune.model.rest;

import io.attune.model.InquiryStatus;

import java.time.Instant;

/** An inquiry as the list shows it (the seed's list item). */
public record InquirySummary(long id, long execution, String prompt, Long assignedTo, InquiryStatus status,
                             boolean hasResponse, Instant timeoutAt, Instant created) {
}
