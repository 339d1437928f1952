package io.attune.api.web;

import io.attune.model.json.Json;
import io.attune.model.rest.ApiError;
import io.attune.model.rest.ErrorCode;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import java.io.IOException;

/**
 * The contract's error body ({@code {"error","code","details"}}) for every way a request can fail: controllers,
 * servlet filters, the security chain and the container's {@code /error} fallback all answer through here.
 */
public final class ErrorBodies {
    private ErrorBodies() {
    }

    public static ResponseEntity<Object> entity(HttpStatusCode status, ApiError error, HttpHeaders headers) {
        HttpHeaders all = new HttpHeaders();
        if (headers != null) {
            all.putAll(headers);
        }
        // preset, so that the error is JSON whatever the client's Accept header asked for
        all.setContentType(MediaType.APPLICATION_JSON);
        return new ResponseEntity<>(error, all, status);
    }

    public static ResponseEntity<Object> entity(ApiError error) {
        return entity(HttpStatusCode.valueOf(error.code().httpStatus()), error, null);
    }

    /** Writes the error straight to the response (from a filter, before any controller runs). */
    public static void write(HttpServletResponse response, int status, ApiError error) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream().write(Json.writeBytes(error));
        response.flushBuffer();
    }

    public static void write(HttpServletResponse response, ApiError error) throws IOException {
        write(response, error.code().httpStatus(), error);
    }

    /**
     * The contract code for an HTTP status. Statuses the contract has no code for (405, 406, 415) travel with their
     * own status and the code {@code BAD_REQUEST}: the client sent something this API does not take.
     */
    public static ErrorCode codeFor(int status) {
        for (ErrorCode code : ErrorCode.values()) {
            if (code.httpStatus() == status) {
                return code;
            }
        }
        if (status >= 500) {
            return status == 503 ? ErrorCode.UNAVAILABLE : ErrorCode.INTERNAL_ERROR;
        }
        return ErrorCode.BAD_REQUEST;
    }
}
