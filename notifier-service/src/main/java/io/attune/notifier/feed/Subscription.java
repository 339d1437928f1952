package io.attune.notifier.feed;

import io.attune.core.identity.Actor;
import io.attune.model.ws.Notification;
import io.attune.model.ws.SubscriptionFilters;

/**
 * Which notifications one client gets: its filters (all optional, ANDed) and, whatever the filters say, only
 * inquiries its actor may see (docs/protocol.md §4 visibility). The replay query applies exactly the same rules in SQL.
 */
public record Subscription(SubscriptionFilters filters, Actor actor) {

    public Subscription {
        filters = filters == null ? SubscriptionFilters.NONE : normalized(filters);
    }

    /** Everything, for the feed's own catch-up. */
    public static Subscription everything() {
        return new Subscription(SubscriptionFilters.NONE, Actor.SYSTEM);
    }

    /** Whether any inquiry could match; an {@code entity_type} other than inquiry or a non-numeric entity cannot. */
    public boolean canMatchInquiries() {
        return (filters.entityType() == null || NotificationFactory.ENTITY_TYPE.equals(filters.entityType()))
                && (filters.entity() == null || inquiryId() != null);
    }

    /** The {@code entity} filter as an inquiry id; null when absent or not a number. */
    public Long inquiryId() {
        try {
            return filters.entity() == null ? null : Long.valueOf(filters.entity());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public boolean matches(Notification n) {
        Long assignedTo = n.content().assignedTo();
        return canMatchInquiries()
                && (filters.entity() == null || filters.entity().equals(n.entity()))
                && (filters.activity() == null || filters.activity().equals(n.activity()))
                && (filters.userId() == null || filters.userId().equals(assignedTo))
                && (filters.execution() == null || filters.execution() == n.content().execution())
                && actor.canSee(assignedTo);
    }

    /** "007" and "7" name the same inquiry. */
    private static SubscriptionFilters normalized(SubscriptionFilters f) {
        String entity = f.entity();
        if (entity != null && entity.matches("\\d{1,18}")) {
            entity = Long.toString(Long.parseLong(entity));
        }
        return new SubscriptionFilters(f.entityType(), entity, f.activity(), f.userId(), f.execution());
    }
}
