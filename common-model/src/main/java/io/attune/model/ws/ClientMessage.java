package io.attune.model.ws;

/**
 * What a client sends: {@code {"type": "subscribe", "filters": {…}, "since": 42}}, {@code {"type": "unsubscribe"}}
 * or {@code {"type": "ping"}}.
 */
public record ClientMessage(String type, SubscriptionFilters filters, Long since) {

    public static ClientMessage subscribe(SubscriptionFilters filters, Long since) {
        return new ClientMessage("subscribe", filters, since);
    }

    public static ClientMessage ping() {
        return new ClientMessage("ping", null, null);
    }

    public static ClientMessage unsubscribe() {
        return new ClientMessage("unsubscribe", null, null);
    }
}
