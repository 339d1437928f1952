package io.attune.core.inquiry;

import io.attune.model.InquiryStatus;

/**
 * The list filters of the seed ({@code status}, {@code execution}, {@code assigned_to}) and the page wanted.
 * {@code perPage} is already clamped to 1..{@link #MAX_PER_PAGE}.
 */
public record InquiryQuery(InquiryStatus status, Long execution, Long assignedTo, int page, int perPage) {
    public static final int DEFAULT_PER_PAGE = 50;
    public static final int MAX_PER_PAGE = 100;

    public InquiryQuery {
        page = Math.max(page, 1);
        perPage = Math.min(Math.max(perPage, 1), MAX_PER_PAGE);
    }
}
