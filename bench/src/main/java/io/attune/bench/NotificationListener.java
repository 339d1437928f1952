package io.attune.bench;

import io.attune.model.json.Json;
import io.attune.model.ws.ClientMessage;
import io.attune.model.ws.Notification;
import io.attune.model.ws.SubscriptionFilters;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A connected client of the notifier: one WebSocket with an {@code Authorization: Bearer} header, subscribed with
 * some filters, noting when ({@link System#nanoTime()}) the first notification about each inquiry arrived. The
 * arrival time is taken before the message is parsed.
 */
public final class NotificationListener implements AutoCloseable {
    private final Map<Long, Long> arrivals = new ConcurrentHashMap<>();
    private final CountDownLatch subscribed = new CountDownLatch(1);
    private final WebSocket socket;
    private volatile String closedWith;

    private NotificationListener(HttpClient http, String url, String token) {
        try {
            socket = http.newWebSocketBuilder().header("Authorization", "Bearer " + token)
                    .connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(URI.create(url), new Frames()).get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot open the WebSocket " + url + ": " + e, e);
        }
    }

    /** Connects, subscribes with {@code filters} and returns once the server confirmed the subscription. */
    public static NotificationListener subscribe(HttpClient http, String url, String token,
                                                 SubscriptionFilters filters) {
        NotificationListener listener = new NotificationListener(http, url, token);
        listener.socket.sendText(Json.write(ClientMessage.subscribe(filters, null)), true).join();
        try {
            if (!listener.subscribed.await(20, TimeUnit.SECONDS)) {
                listener.close();
                throw new IllegalStateException("the notifier did not confirm the subscription ("
                        + listener.closedWith + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return listener;
    }

    /** When the first matching notification about {@code inquiryId} arrived, or null if none did yet. */
    public Long arrival(long inquiryId) {
        return arrivals.get(inquiryId);
    }

    public int received() {
        return arrivals.size();
    }

    public String closedWith() {
        return closedWith;
    }

    /** Says goodbye (waiting at most a few seconds for it to leave), then drops the connection. */
    @Override
    public void close() {
        try {
            if (!socket.isOutputClosed()) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "benchmark done").get(5, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            // the socket goes anyway
        } finally {
            socket.abort();
        }
    }

    private void onMessage(long arrived, String text) {
        JsonNode message = Json.tree(text);
        if (message.has("type")) {
            if ("subscribed".equals(message.path("type").asString())) {
                subscribed.countDown();
            }
            return;
        }
        Notification notification = Json.mapper().treeToValue(message, Notification.class);
        arrivals.putIfAbsent(Long.parseLong(notification.entity()), arrived);
    }

    /**
     * Receives the socket's frames: a message's arrival is its first frame's, the frames of one message are joined
     * before it is read; one message at a time is asked for.
     */
    private final class Frames implements WebSocket.Listener {
        private final List<CharSequence> parts = new ArrayList<>();
        private long firstFrameNanos;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            if (parts.isEmpty()) {
                firstFrameNanos = System.nanoTime();
            }
            parts.add(data.toString());
            if (last) {
                String text = String.join("", parts);
                parts.clear();
                onMessage(firstFrameNanos, text);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closedWith = "closed by the notifier: " + statusCode + (reason.isEmpty() ? "" : " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closedWith = "failed: " + error;
        }
    }
}
