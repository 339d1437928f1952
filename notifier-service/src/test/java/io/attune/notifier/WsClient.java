package io.attune.notifier;

import io.attune.model.json.Json;
import io.attune.model.ws.ClientMessage;
import io.attune.model.ws.SubscriptionFilters;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** A real WebSocket client (the JDK's) that keeps what it receives, in order, for assertions. */
public final class WsClient implements WebSocket.Listener, AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private final java.util.concurrent.atomic.AtomicInteger pings = new java.util.concurrent.atomic.AtomicInteger();
    private volatile WebSocket socket;

    public record Closed(int code, String reason) {
    }

    private WsClient() {
    }

    public static WsClient connect(URI uri, String token) {
        return connect(uri, b -> b.header("Authorization", "Bearer " + token));
    }

    public static WsClient connect(URI uri, Consumer<WebSocket.Builder> configure) {
        WsClient client = new WsClient();
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        configure.accept(builder);
        client.socket = builder.buildAsync(uri, client).join();
        return client;
    }

    /** The HTTP status the upgrade was refused with (fails if it was accepted). */
    public static int refusal(URI uri, Consumer<WebSocket.Builder> configure) {
        try (WsClient accepted = connect(uri, configure)) {
            throw new AssertionError("the upgrade was accepted (subprotocol '" + accepted.subprotocol() + "')");
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
    }

    public String subprotocol() {
        return socket.getSubprotocol();
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            received.add(Json.tree(partial.toString()));
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, java.nio.ByteBuffer message) {
        pings.incrementAndGet();
        return WebSocket.Listener.super.onPing(webSocket, message); // answers with a pong, asks for more
    }

    /** WebSocket ping frames (the server's heartbeats) received so far. */
    public int pings() {
        return pings.get();
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(new Closed(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }

    public void send(Object message) {
        sendRaw(Json.write(message));
    }

    public void sendRaw(String text) {
        socket.sendText(text, true).join();
    }

    /** Subscribes and checks the {@code subscribed} reply. */
    public JsonNode subscribe(SubscriptionFilters filters, Long since) {
        send(ClientMessage.subscribe(filters, since));
        JsonNode reply = next();
        assertThat(reply.path("type").asString()).as(reply.toString()).isEqualTo("subscribed");
        return reply;
    }

    public JsonNode next() {
        return next(WAIT);
    }

    public JsonNode next(Duration timeout) {
        try {
            JsonNode message = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (message == null) {
                throw new AssertionError("nothing received within " + timeout);
            }
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next {@code count} messages, each of which must be a notification. */
    public List<JsonNode> notifications(int count) {
        return notifications(count, WAIT);
    }

    public List<JsonNode> notifications(int count, Duration timeout) {
        List<JsonNode> notifications = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (notifications.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("expected " + count + " notifications, got " + notifications.size() + ": "
                        + notifications);
            }
            JsonNode message = next(Duration.ofNanos(left));
            assertThat(message.has("id")).as("a notification, not " + message).isTrue();
            notifications.add(message);
        }
        return notifications;
    }

    /** Notifications until (and including) the one with id {@code lastId}. */
    public List<JsonNode> notificationsThrough(long lastId, Duration timeout) {
        List<JsonNode> notifications = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (notifications.isEmpty() || notifications.get(notifications.size() - 1).get("id").asLong() < lastId) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("notification " + lastId + " not received; got " + notifications.size()
                        + ": " + notifications);
            }
            JsonNode message = next(Duration.ofNanos(left));
            assertThat(message.has("id")).as("a notification, not " + message).isTrue();
            notifications.add(message);
        }
        return notifications;
    }

    /**
     * Every notification queued for this client so far: sends a ping and collects until the pong (the server
     * answers in order, so the pong comes after whatever was queued before it).
     */
    public List<JsonNode> notificationsUntilPong() {
        send(ClientMessage.ping());
        List<JsonNode> notifications = new ArrayList<>();
        while (true) {
            JsonNode message = next();
            if ("pong".equals(message.path("type").asString())) {
                return notifications;
            }
            assertThat(message.has("id")).as("a notification, not " + message).isTrue();
            notifications.add(message);
        }
    }

    public Closed awaitClose(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("not closed within " + timeout + ": " + e, e);
        }
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        if (socket != null && !socket.isOutputClosed()) {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                socket.abort();
            }
        }
        if (socket != null) {
            socket.abort();
        }
    }
}
