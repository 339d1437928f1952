package io.attune.cli.client;

import io.attune.model.json.Json;
import io.attune.model.ws.ClientMessage;
import io.attune.model.ws.SubscriptionFilters;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The notifier's WebSocket, followed for as long as asked: subscribes with the filters, hands over each notification,
 * and after a drop (network, notifier restart, close 1001/1011/4008) reconnects with backoff and subscribes again with
 * {@code since} = the last notification seen — or, when none was seen yet, the {@code position} the
 * {@code subscribed} reply gave — so nothing in between is missed. A replay cut short ({@code error} with
 * {@code since}) is continued. A refused token (401 at the upgrade, close 4001) ends it with a {@link Refused}.
 */
public final class NotificationStream {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final long MAX_BACKOFF_MILLIS = 30_000;
    private static final int TOKEN_EXPIRED = 4001;

    /** What the stream reports. */
    public interface Listener {
        void notification(JsonNode notification);

        /** Connection news for people (subscribed, dropped, reconnecting). */
        void status(String message);
    }

    private final URI url;
    private final String token;
    private final SubscriptionFilters filters;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    private Long resumeFrom;

    public NotificationStream(URI url, String token, SubscriptionFilters filters, Long since) {
        this.url = url;
        this.token = token;
        this.filters = filters;
        this.resumeFrom = since;
    }

    /** Follows the stream until {@code limit} notifications were handed over (0: until interrupted). */
    public void follow(Listener listener, long limit) throws InterruptedException {
        long delivered = 0;
        long backoff = 1_000;
        boolean everConnected = false;
        while (true) {
            BlockingQueue<Object> events = new LinkedBlockingQueue<>();
            WebSocket socket;
            try {
                socket = connect(events);
            } catch (Unreachable unreachable) {
                if (!everConnected) {
                    throw unreachable;
                }
                listener.status(unreachable.getMessage() + "; trying again in " + backoff / 1000 + " s");
                Thread.sleep(backoff);
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
                continue;
            }
            everConnected = true;
            Long subscribedSince = resumeFrom;
            send(socket, ClientMessage.subscribe(filters, subscribedSince));
            while (true) {
                Object event = events.poll(1, TimeUnit.SECONDS);
                if (event == null) {
                    continue;
                }
                if (event instanceof String text) {
                    JsonNode message = parse(text);
                    String type = message.path("type").asString("");
                    if (type.equals("subscribed")) {
                        backoff = 1_000;
                        JsonNode position = message.path("position");
                        // a live-only subscription starts at the trail's position: resuming from it misses nothing
                        if (subscribedSince == null && position.isIntegralNumber()) {
                            resumeFrom = Math.max(position.asLong(), resumeFrom == null ? 0 : resumeFrom);
                        }
                        listener.status("subscribed" + (subscribedSince == null ? "" : " since " + subscribedSince)
                                + (position.isIntegralNumber() ? " (position " + position.asLong() + ")" : ""));
                    } else if (type.equals("error")) {
                        if (message.path("since").isIntegralNumber()) {
                            // replay stopped early: ask for the rest
                            resumeFrom = message.path("since").asLong();
                            subscribedSince = resumeFrom;
                            send(socket, ClientMessage.subscribe(filters, resumeFrom));
                        } else {
                            listener.status("the notifier says: " + message.path("message").asString(""));
                        }
                    } else if (message.has("id") && message.has("entity_type")) {
                        long id = message.path("id").asLong();
                        resumeFrom = resumeFrom == null ? id : Math.max(resumeFrom, id);
                        listener.notification(message);
                        if (limit > 0 && ++delivered >= limit) {
                            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").exceptionally(e -> null);
                            return;
                        }
                    }
                } else if (event instanceof Closed closed) {
                    if (closed.code() == TOKEN_EXPIRED) {
                        throw new Refused(401, "UNAUTHORIZED", "the notifier closed the connection: token expired "
                                + "(run `attune login` again)", List.of());
                    }
                    listener.status("connection closed (" + closed.code() + (closed.reason().isBlank() ? ""
                            : " " + closed.reason()) + "); reconnecting" + resumeText());
                    break;
                } else if (event instanceof Throwable failure) {
                    listener.status("connection lost (" + failure.getMessage() + "); reconnecting" + resumeText());
                    socket.abort();
                    break;
                }
            }
            Thread.sleep(backoff);
            backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
        }
    }

    /** Where the next subscription will resume; null when there is no point to resume from yet. */
    public Long resumeFrom() {
        return resumeFrom;
    }

    private String resumeText() {
        return resumeFrom == null ? "" : " with since=" + resumeFrom;
    }

    private WebSocket connect(BlockingQueue<Object> events) throws InterruptedException {
        try {
            return http.newWebSocketBuilder()
                    .header("Authorization", "Bearer " + token)
                    .connectTimeout(CONNECT_TIMEOUT)
                    .buildAsync(url, new QueueingListener(events))
                    .get(CONNECT_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException handshake) {
                int status = handshake.getResponse().statusCode();
                Object body = handshake.getResponse().body();
                if (status == 401 || status == 403) {
                    Refused refused = Refused.fromResponse(status, body instanceof String s ? s : null);
                    throw new Refused(status, refused.code(), "the notifier refused the connection: "
                            + refused.getMessage(), refused.details());
                }
                throw new Unreachable(url + " answered " + status + " instead of opening a WebSocket", e);
            }
            throw new Unreachable("cannot reach " + url + " (" + e.getCause() + ")", e);
        } catch (TimeoutException e) {
            throw new Unreachable("cannot reach " + url + " (timed out)", e);
        }
    }

    private static void send(WebSocket socket, ClientMessage message) {
        socket.sendText(Json.write(message), true);
    }

    private static JsonNode parse(String text) {
        try {
            return Json.tree(text);
        } catch (RuntimeException e) {
            return Json.object();
        }
    }

    private record Closed(int code, String reason) {
    }

    /** Puts whole text messages, the close and failures on a queue, in order. */
    private static final class QueueingListener implements WebSocket.Listener {
        private final BlockingQueue<Object> events;
        private final StringBuilder partial = new StringBuilder();

        QueueingListener(BlockingQueue<Object> events) {
            this.events = events;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                events.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            events.add(new Closed(statusCode, reason == null ? "" : reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            events.add(error);
        }
    }
}
