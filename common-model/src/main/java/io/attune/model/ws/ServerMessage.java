package io.attune.model.ws;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Control messages the server sends: {@code subscribed} (echoing the filters and {@code since}, with the trail's
 * {@code position}), {@code unsubscribed}, {@code pong} and {@code error}. Notifications are {@link Notification}s.
 *
 * @param position       in {@code subscribed}: the id of the newest stored event when the subscription started; a
 *                       client that reconnects with {@code "since": position} misses nothing
 * @param expiredThrough in {@code subscribed}: present when {@code since} is older than the stored trail — events up to
 *                       this id were removed by retention and cannot be replayed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServerMessage(String type, SubscriptionFilters filters, Long since, Long position, Long expiredThrough,
                            String message) {

    public static ServerMessage subscribed(SubscriptionFilters filters, Long since, long position,
                                           Long expiredThrough, String message) {
        return new ServerMessage("subscribed", filters, since, position, expiredThrough, message);
    }

    public static ServerMessage unsubscribed() {
        return new ServerMessage("unsubscribed", null, null, null, null, null);
    }

    public static ServerMessage pong() {
        return new ServerMessage("pong", null, null, null, null, null);
    }

    public static ServerMessage error(String message) {
        return new ServerMessage("error", null, null, null, null, message);
    }

    /** Replay stopped early: the client subscribes again with {@code "since": since} for the rest. */
    public static ServerMessage replayStopped(long since, String message) {
        return new ServerMessage("error", null, since, null, null, message);
    }
}
