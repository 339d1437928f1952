package io.attune.api.identity;

import io.attune.core.error.DomainException;
import io.attune.model.rest.ApiError.ErrorDetail;
import io.attune.model.rest.ErrorCode;

import java.util.List;

/** {@code page} and {@code per_page} of the admin lists, as the inquiry list takes them: per_page above 100 is 100. */
record PageRequest(int page, int perPage) {
    static final int DEFAULT_PER_PAGE = 50;
    static final int MAX_PER_PAGE = 100;

    static PageRequest of(int page, int perPage) {
        for (var parameter : List.of(new Object[]{"page", page}, new Object[]{"per_page", perPage})) {
            if ((int) parameter[1] < 1) {
                throw new DomainException(ErrorCode.BAD_REQUEST, "invalid parameter: " + parameter[0]
                        + " must be at least 1", List.of(new ErrorDetail((String) parameter[0],
                        "must be at least 1, not " + parameter[1])));
            }
        }
        return new PageRequest(page, Math.min(perPage, MAX_PER_PAGE));
    }
}
