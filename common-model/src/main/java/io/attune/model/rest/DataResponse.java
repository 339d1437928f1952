package io.attune.model.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The {@code {"data": …}} wrapper of single-object responses; {@code message} only where the contract has one. */
public record DataResponse<T>(T data, @JsonInclude(JsonInclude.Include.NON_NULL) String message) {

    public static <T> DataResponse<T> of(T data) {
        return new DataResponse<>(data, null);
    }

    public static <T> DataResponse<T> of(T data, String message) {
        return new DataResponse<>(data, message);
    }
}
