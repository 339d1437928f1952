package io.attune.api.external;

import io.attune.core.error.DomainException;
import io.attune.model.rest.ErrorCode;

import java.util.List;
import java.util.OptionalLong;

/** Too many waits (429 for one identity, 503 for the replica): try again after {@code Retry-After} seconds. */
final class RetryLater extends DomainException {
    private final long retryAfterSeconds;

    RetryLater(ErrorCode code, String message, long retryAfterSeconds) {
        super(code, message, List.of());
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public OptionalLong retryAfterSeconds() {
        return OptionalLong.of(retryAfterSeconds);
    }
}
