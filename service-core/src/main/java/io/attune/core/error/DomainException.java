package io.attune.core.error;

import io.attune.model.rest.ApiError;
import io.attune.model.rest.ErrorCode;

import java.util.List;
import java.util.OptionalLong;

/**
 * A refusal with one of the contract's error codes: what the API answers with, and what tells a consumer that a
 * message can never succeed. The message is for people and never carries internals.
 */
public class DomainException extends RuntimeException {
    private final ErrorCode code;
    private final List<ApiError.ErrorDetail> details;

    public DomainException(ErrorCode code, String message, List<ApiError.ErrorDetail> details) {
        super(message);
        this.code = code;
        this.details = details == null ? List.of() : List.copyOf(details);
    }

    public static DomainException badRequest(String message) {
        return new DomainException(ErrorCode.BAD_REQUEST, message, List.of());
    }

    public static DomainException notFound(String message) {
        return new DomainException(ErrorCode.NOT_FOUND, message, List.of());
    }

    public static DomainException forbidden(String message) {
        return new DomainException(ErrorCode.FORBIDDEN, message, List.of());
    }

    public static DomainException conflict(String message) {
        return new DomainException(ErrorCode.CONFLICT, message, List.of());
    }

    public static DomainException payloadTooLarge(String message) {
        return new DomainException(ErrorCode.PAYLOAD_TOO_LARGE, message, List.of());
    }

    public static DomainException validation(String message, List<ApiError.ErrorDetail> details) {
        return new DomainException(ErrorCode.VALIDATION_ERROR, message, details);
    }

    public ErrorCode code() {
        return code;
    }

    public List<ApiError.ErrorDetail> details() {
        return details;
    }

    /** When the same request may succeed later (429, 503): the seconds to wait, sent as {@code Retry-After}. */
    public OptionalLong retryAfterSeconds() {
        return OptionalLong.empty();
    }

    public ApiError toApiError() {
        return new ApiError(getMessage(), code, details);
    }
}
