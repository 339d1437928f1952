package io.attune.model.rest;

/** The error codes of the REST API (docs/api.md), with the HTTP status each one travels with. */
public enum ErrorCode {
    BAD_REQUEST(400),
    UNAUTHORIZED(401),
    FORBIDDEN(403),
    NOT_FOUND(404),
    CONFLICT(409),
    PAYLOAD_TOO_LARGE(413),
    VALIDATION_ERROR(422),
    /** The requester of an execution answering its own inquiry, which did not allow it. */
    SELF_APPROVAL(403),
    /** Too many failed logins; {@code Retry-After} says for how many seconds. */
    RATE_LIMITED(429),
    /** Not the client's fault: a defect of ours. The body never carries a stack trace. */
    INTERNAL_ERROR(500),
    UNAVAILABLE(503);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
