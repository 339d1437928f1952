package io.attune.model.message;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/** An inquiry timed out; {@code defaulted} (only when true): its execution went on with the on_timeout answer. */
public record InquiryTimedOut(long inquiryId, long executionId, Instant timeoutAt,
                              @JsonInclude(JsonInclude.Include.NON_NULL) Boolean defaulted) implements MessagePayload {

    public InquiryTimedOut(long inquiryId, long executionId, Instant timeoutAt) {
        this(inquiryId, executionId, timeoutAt, null);
    }

    @Override
    public MessageType messageType() {
        return MessageType.INQUIRY_TIMED_OUT;
    }
}
