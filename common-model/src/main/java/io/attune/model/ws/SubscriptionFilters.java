package io.attune.model.ws;

/** The filters of a subscribe message (docs/protocol.md §5); every one is optional and they are ANDed. */
public record SubscriptionFilters(String entityType, String entity, String activity, Long userId, Long execution) {

    public static final SubscriptionFilters NONE = new SubscriptionFilters(null, null, null, null, null);
}
