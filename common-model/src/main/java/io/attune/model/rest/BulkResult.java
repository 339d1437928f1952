package io.attune.model.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * What the bulk call decided for one inquiry: {@code status} is the HTTP status the single call would have answered
 * (200, 403, 404, 409, 422…); on a refusal, {@code error} and {@code code} as in the error body, and {@code details}
 * for a 422.
 */
public record BulkResult(long id, int status,
                         @JsonInclude(JsonInclude.Include.NON_NULL) String error,
                         @JsonInclude(JsonInclude.Include.NON_NULL) ErrorCode code,
                         @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ApiError.ErrorDetail> details) {

    public static BulkResult ok(long id) {
        return new BulkResult(id, 200, null, null, List.of());
    }
}
