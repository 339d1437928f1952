package io.attune.api.web;

import io.attune.core.error.DomainException;
import io.attune.model.rest.ErrorCode;

import java.util.List;

/** A refusal the client should try again after {@code Retry-After} seconds (429 or 503). */
public class RetryLater extends DomainException {
    private final long retryAfterSeconds;

    public RetryLater(ErrorCode code, String message, long retryAfterSeconds) {
        super(code, message, List.of());
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
