package io.attune.model.rest;

import tools.jackson.databind.JsonNode;

import java.util.List;

/**
 * {@code POST /api/v1/inquiries/bulk}: {@code action} {@code respond} (with {@code response}, the same answer for
 * every inquiry) or {@code cancel}, for up to {@link #MAX_IDS} inquiry ids.
 */
public record BulkRequest(String action, List<Long> ids, JsonNode response) {
    public static final int MAX_IDS = 100;
}
