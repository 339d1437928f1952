package io.attune.model.rest;

import java.util.List;

/** A page of a list: {@code {"data":[…],"total","page","per_page","pages"}}; {@code pages} is 0 for an empty list. */
public record PageResponse<T>(List<T> data, long total, int page, int perPage, int pages) {

    public static <T> PageResponse<T> of(List<T> data, long total, int page, int perPage) {
        int pages = (int) ((total + perPage - 1) / perPage);
        return new PageResponse<>(data, total, page, perPage, pages);
    }
}
