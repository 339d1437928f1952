package io.attune.e2e;

import io.attune.model.json.Json;
import io.attune.model.ws.ClientMessage;
import io.attune.model.ws.SubscriptionFilters;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/**
 * A WebSocket client of one notifier replica, as a script or a CLI would be one: JDK {@link WebSocket} with an
 * {@code Authorization: Bearer} header. Keeps every message the server sent, in order.
 */
final class NotificationClient implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String name;
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final WebSocket socket;
    private volatile String closedWith;

    private NotificationClient(String name, String url, String token) {
        this.name = name;
        try {
            this.socket = HTTP.newWebSocketBuilder()
                    .header("Authorization", "Bearer " + token)
                    .connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(URI.create(url), new Collector())
                    .get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot connect " + name + " to " + url, e);
        }
    }

    /** Connects and subscribes with {@code filters}; returns once the server confirmed the subscription. */
    static NotificationClient subscribe(String name, String url, String token, SubscriptionFilters filters) {
        return subscribe(name, url, token, filters, null);
    }

    /** As {@link #subscribe(String, String, String, SubscriptionFilters)}, replaying what came after {@code since}. */
    static NotificationClient subscribe(String name, String url, String token, SubscriptionFilters filters,
                                        Long since) {
        NotificationClient client = new NotificationClient(name, url, token);
        try {
            client.send(Json.write(ClientMessage.subscribe(filters, since)));
            client.awaitMessage(m -> "subscribed".equals(m.path("type").asString()), Duration.ofSeconds(20));
            return client;
        } catch (RuntimeException | Error e) {
            client.close();
            throw e;
        }
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    /** Every notification received so far (server messages without a {@code type}), in order. */
    List<JsonNode> notifications() {
        return received.stream().filter(m -> !m.has("type")).toList();
    }

    /** Waits for a notification about inquiry {@code inquiryId} with {@code activity}, and returns it. */
    JsonNode awaitNotification(long inquiryId, String activity, Duration timeout) {
        return awaitMessage(m -> !m.has("type") && String.valueOf(inquiryId).equals(m.path("entity").asString())
                && activity.equals(m.path("activity").asString()), timeout);
    }

    JsonNode awaitMessage(Predicate<JsonNode> matching, Duration timeout) {
        return await(name + " receives a matching message (" + this + ")").atMost(timeout).pollInterval(Duration.ofMillis(20))
                .until(() -> received.stream().filter(matching).findFirst().orElse(null), m -> m != null);
    }

    /** How the server closed the socket ("4029 too many …"), or null while it is open. */
    String closedWith() {
        return closedWith;
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
        }
        socket.abort();
    }

    @Override
    public String toString() {
        return name + (closedWith == null ? "" : " closed: " + closedWith) + ", received " + received;
    }

    /** Assembles text frames into messages. */
    private final class Collector implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received.add(Json.tree(partial.toString()));
                partial.setLength(0);
            }
            webSocket.request(1);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closedWith = statusCode + " " + reason;
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closedWith = "error " + error;
        }
    }
}
