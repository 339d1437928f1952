package io.attune.notifier.notification;

import io.attune.core.identity.Actor;
import io.attune.model.inquiry.Assignment;
import io.attune.model.ws.Notification;
import io.attune.model.ws.SubscriptionFilters;

import java.util.Set;

/**
 * Which notifications one client gets: its filters (all optional, ANDed) and, whatever the filters say, only
 * inquiries its actor may see (docs/protocol.md §4 visibility, Actor.canSee: the Java twin of the SQL rule). The replay
 * query applies exactly the same rules in SQL.
 * {@code userPrincipals} are the assignee keys of the {@code user_id} filter's identity (itself and its groups, read
 * when the subscription starts), so that the filter follows group membership as the API's {@code assigned_to} does.
 */
public record Subscription(SubscriptionFilters filters, Actor actor, Set<String> userPrincipals) {

    public Subscription {
        filters = filters == null ? SubscriptionFilters.NONE : normalized(filters);
        userPrincipals = filters.userId() == null ? Set.of()
                : userPrincipals == null || userPrincipals.isEmpty() ? Set.of("u:" + filters.userId())
                : Set.copyOf(userPrincipals);
    }

    /** The {@code user_id} filter, if any, matches only inquiries that list that identity itself. */
    public Subscription(SubscriptionFilters filters, Actor actor) {
        this(filters, actor, null);
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
        Assignment assignedTo = n.content().assignedTo();
        var escalation = n.content().escalation();
        return canMatchInquiries()
                && (filters.entity() == null || filters.entity().equals(n.entity()))
                && (filters.activity() == null || filters.activity().equals(n.activity()))
                && (filters.userId() == null || (assignedTo != null
                        && assignedTo.keys().stream().anyMatch(userPrincipals::contains)))
                && (filters.execution() == null || filters.execution() == n.content().execution())
                // an escalation is told to those who can see the inquiry now and to those it was taken from
                && (actor.canSee(assignedTo) || (escalation != null && actor.canSee(escalation.previousAssignedTo())));
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
