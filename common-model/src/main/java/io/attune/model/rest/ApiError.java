package io.attune.model.rest;

import java.util.List;

/** Every error body: {@code {"error": "...", "code": "...", "details": [...]}}. */
public record ApiError(String error, ErrorCode code, List<ErrorDetail> details) {

    public ApiError {
        details = details == null ? List.of() : List.copyOf(details);
    }

    public static ApiError of(ErrorCode code, String error) {
        return new ApiError(error, code, List.of());
    }

    /** One reason a request was refused; {@code path} is a JSON pointer into the request (e.g. {@code /approved}). */
    public record ErrorDetail(String path, String message) {
    }
}
