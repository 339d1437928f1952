package io.attune.model.ws;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Control messages the server sends: {@code subscribed} (echoing the filters and {@code since}), {@code unsubscribed},
 * {@code pong} and {@code error}. Notifications are {@link Notification}s.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServerMessage(String type, SubscriptionFilters filters, Long since, String message) {

    public static ServerMessage subscribed(SubscriptionFilters filters, Long since) {
        return new ServerMessage("subscribed", filters, since, null);
    }

    public static ServerMessage unsubscribed() {
        return new ServerMessage("unsubscribed", null, null, null);
    }

    public static ServerMessage pong() {
        return new ServerMessage("pong", null, null, null);
    }

    public static ServerMessage error(String message) {
        return new ServerMessage("error", null, null, message);
    }
}
