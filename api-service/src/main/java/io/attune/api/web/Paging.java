package io.attune.api.web;

import io.attune.core.error.DomainException;
import io.attune.model.rest.ApiError.ErrorDetail;
import io.attune.model.rest.ErrorCode;

import java.util.List;

/**
 * {@code page} and {@code per_page} of the admin lists and delivery logs, as the inquiry list takes them: each at least
 * 1 (400 naming the parameter otherwise), per_page above 100 is 100.
 */
public record Paging(int page, int perPage) {
    public static final int DEFAULT_PER_PAGE = 50;
    public static final int MAX_PER_PAGE = 100;

    public static Paging of(int page, int perPage) {
        for (var parameter : List.of(new Object[]{"page", page}, new Object[]{"per_page", perPage})) {
            if ((int) parameter[1] < 1) {
                throw new DomainException(ErrorCode.BAD_REQUEST, "invalid parameter: " + parameter[0]
                        + " must be at least 1", List.of(new ErrorDetail((String) parameter[0],
                        "must be at least 1, not " + parameter[1])));
            }
        }
        return new Paging(page, Math.min(perPage, MAX_PER_PAGE));
    }

    /** How many rows come before this page. */
    public long offset() {
        return (long) (page - 1) * perPage;
    }
}
