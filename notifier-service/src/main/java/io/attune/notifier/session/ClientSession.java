package io.attune.notifier.session;

import io.attune.core.identity.Actor;
import io.attune.model.json.Json;
import io.attune.model.ws.Notification;
import io.attune.model.ws.ServerMessage;
import io.attune.model.ws.SubscriptionFilters;
import io.attune.notifier.auth.Authenticated;
import io.attune.notifier.feed.Subscription;
import io.attune.notifier.replay.EventTrail;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client: its subscription and its own bounded outbound queue, drained by non-blocking sends with at most one in
 * flight. Whoever offers a message (the feed's single thread, the client's own message handling) only ever enqueues
 * and starts a send, so a client that stops reading holds up nobody but itself; once more than {@code bufferLimit}
 * messages wait for it, it is closed with {@link CloseCodes#TOO_SLOW} and reconnects with {@code since}.
 *
 * <p>Replay: a subscribe with {@code since} first holds live notifications back, then reads the trail, queues what
 * it finds, then releases the held notifications that are newer than the last one replayed. Every notification
 * queued has a larger id than the one before, which also drops the duplicates a relay retry can publish.
 */
final class ClientSession {
    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);

    private final WebSocketSession socket;
    private final Session endpoint;
    private final Actor actor;
    private final SessionRegistry registry;
    private final int bufferLimit;

    private final Object lock = new Object();
    private final ArrayDeque<Outbound> queue = new ArrayDeque<>();
    /** Queued messages that count against {@code bufferLimit} (all but replayed notifications, bounded on their own). */
    private int counted;
    private boolean sending;
    private CloseStatus closing;
    /** A close waiting for the message on its way, so that its frame never lands between that message's fragments. */
    private boolean closeAfterSend;
    private Subscription subscription;
    private boolean replaying;
    /** After a truncated or failed replay: nothing more until the client subscribes again with since. */
    private boolean paused;
    private final List<Outbound> held = new ArrayList<>();
    private long lastQueuedId;
    /** The last notification completely handed to the socket: what a client that gets our close frame has seen. */
    private long lastSentId;

    ClientSession(WebSocketSession socket, Session endpoint, Actor actor, SessionRegistry registry, int bufferLimit) {
        this.socket = socket;
        this.endpoint = endpoint;
        this.actor = actor;
        this.registry = registry;
        this.bufferLimit = bufferLimit;
    }

    String id() {
        return socket.getId();
    }

    Actor actor() {
        return actor;
    }

    /** How the socket was authenticated at the upgrade (its token and identity). */
    Authenticated authenticated() {
        return Authenticated.from(socket.getAttributes());
    }

    /** A live notification, serialized once for every session. */
    void offer(Notification notification, String json) {
        boolean overflow = false;
        synchronized (lock) {
            if (closing != null || subscription == null || paused || !subscription.matches(notification)) {
                return;
            }
            Outbound live = new Outbound(json, notification.id(), true);
            if (replaying) {
                if (held.size() >= bufferLimit) {
                    overflow = true;
                } else {
                    held.add(live);
                }
            } else if (notification.id() > lastQueuedId) {
                overflow = !enqueue(live, false);
            }
        }
        afterEnqueue(overflow);
    }

    /** Replaces the subscription; with {@code since}, replays the trail first (on the calling thread). */
    void subscribe(SubscriptionFilters filters, Long since, EventTrail trail, int replayLimit) {
        Subscription next = new Subscription(filters, actor);
        boolean overflow;
        synchronized (lock) {
            if (closing != null) {
                return;
            }
            subscription = next;
            paused = false;
            replaying = since != null;
            held.clear();
            if (since != null) {
                lastQueuedId = since;
            }
            overflow = !enqueue(control(ServerMessage.subscribed(next.filters(), since)), false);
        }
        afterEnqueue(overflow);
        if (since == null || overflow) {
            return;
        }
        List<Notification> found;
        long from = since;
        try {
            // a since ahead of the trail (its database was replaced) would otherwise swallow every id up to it
            from = Math.min(since, trail.lastEventId());
            found = trail.after(from, null, next, replayLimit + 1);
        } catch (DataAccessException e) {
            log.warn("Replay for session {} failed: {}", id(), e.getMessage());
            stopReplay(next, "replay failed: the event trail is unavailable; subscribe again with since=" + since,
                    since);
            return;
        }
        boolean truncated = found.size() > replayLimit;
        List<Outbound> replayed = new ArrayList<>();
        for (Notification notification : truncated ? found.subList(0, replayLimit) : found) {
            replayed.add(new Outbound(Json.write(notification), notification.id(), false));
        }
        synchronized (lock) {
            if (closing != null || subscription != next) {
                return;
            }
            lastQueuedId = from; // live ones were only held meanwhile
            replayed.forEach(r -> enqueue(r, true));
            if (truncated) {
                paused = true;
                enqueue(control(new ServerMessage("error", null, lastQueuedId, "replay truncated after "
                        + replayLimit + " notifications; subscribe again with since=" + lastQueuedId + " for the rest")),
                        true);
            } else {
                for (Outbound live : held) {
                    if (live.notificationId() > lastQueuedId) {
                        enqueue(live, true);
                    }
                }
            }
            replaying = false;
            held.clear();
        }
        pump();
    }

    private void stopReplay(Subscription which, String message, long since) {
        synchronized (lock) {
            if (closing != null || subscription != which) {
                return;
            }
            replaying = false;
            paused = true;
            held.clear();
            enqueue(control(new ServerMessage("error", null, since, message)), true);
        }
        pump();
    }

    void unsubscribe() {
        boolean overflow;
        synchronized (lock) {
            subscription = null;
            replaying = false;
            paused = false;
            held.clear();
            overflow = !enqueue(control(ServerMessage.unsubscribed()), false);
        }
        afterEnqueue(overflow);
    }

    void reply(ServerMessage message) {
        boolean overflow;
        synchronized (lock) {
            overflow = !enqueue(control(message), false);
        }
        afterEnqueue(overflow);
    }

    /** A WebSocket ping when nothing is on its way, so that idle proxies keep the connection. */
    void heartbeat() {
        synchronized (lock) {
            if (closing != null || sending) {
                return;
            }
        }
        registry.background(() -> {
            try {
                endpoint.getBasicRemote().sendPing(ByteBuffer.allocate(0));
            } catch (Exception e) {
                log.debug("Heartbeat to session {} failed: {}", id(), e.getMessage());
            }
        });
    }

    void tokenExpired() {
        close(new CloseStatus(CloseCodes.TOKEN_EXPIRED, "token expired"));
    }

    /**
     * Closes with {@code status} after dropping whatever still waits; a no-op once closing. A message already on its
     * way is finished first (or fails by the send timeout).
     */
    void close(CloseStatus status) {
        synchronized (lock) {
            if (closing != null) {
                return;
            }
            closing = status;
            queue.clear();
            counted = 0;
            held.clear();
            if (sending) {
                closeAfterSend = true;
                return;
            }
        }
        closeNow();
    }

    private void closeNow() {
        CloseStatus status;
        synchronized (lock) {
            status = closing.getCode() == CloseCodes.TOO_SLOW
                    ? new CloseStatus(CloseCodes.TOO_SLOW, "too slow: reconnect with since=" + lastSentId) : closing;
        }
        registry.background(() -> {
            try {
                socket.close(status);
            } catch (Exception e) {
                log.debug("Closing session {} failed: {}", id(), e.getMessage());
            }
        });
    }

    /** The socket is gone: drop whatever still waits for it. */
    void discard() {
        synchronized (lock) {
            if (closing == null) {
                closing = CloseStatus.NORMAL;
            }
            queue.clear();
            counted = 0;
            held.clear();
        }
    }

    private void tooSlow() {
        synchronized (lock) {
            if (closing != null) {
                return;
            }
        }
        log.info("Session {} ({}) fell too far behind and is closed with {}", id(), actor.login(), CloseCodes.TOO_SLOW);
        registry.slowClientClosed();
        close(new CloseStatus(CloseCodes.TOO_SLOW)); // the reason, with since, is written when the frame goes out
    }

    private Outbound control(ServerMessage message) {
        return new Outbound(Json.write(message), 0, true);
    }

    /** Queues unless the buffer is full (forced messages are bounded elsewhere); call holding the lock. */
    private boolean enqueue(Outbound message, boolean force) {
        if (message.counts() && !force && counted >= bufferLimit) {
            return false;
        }
        queue.add(message);
        if (message.counts()) {
            counted++;
        }
        if (message.notificationId() > 0) {
            lastQueuedId = message.notificationId();
        }
        return true;
    }

    private void afterEnqueue(boolean overflow) {
        if (overflow) {
            tooSlow();
        } else {
            pump();
        }
    }

    /**
     * Starts the next send unless one is on its way. A send that completes before {@code sendText} returns is
     * followed by the next one in this loop (not by recursion from its completion), so the stack stays flat.
     */
    private void pump() {
        while (true) {
            Outbound next;
            synchronized (lock) {
                if (sending || closing != null || queue.isEmpty()) {
                    return;
                }
                next = queue.poll();
                if (next.counts()) {
                    counted--;
                }
                sending = true;
            }
            Completion completion = new Completion(next);
            try {
                endpoint.getAsyncRemote().sendText(next.text(), completion);
            } catch (RuntimeException e) { // closed meanwhile
                completion.onResult(new SendResult(e));
            }
            if (!completion.finishedInline()) {
                return;
            }
        }
    }

    private void sent(Outbound message, SendResult result) {
        boolean closeNow;
        synchronized (lock) {
            sending = false;
            if (result.isOK() && message.notificationId() > 0) {
                lastSentId = message.notificationId();
            }
            closeNow = closeAfterSend;
            closeAfterSend = false;
        }
        if (result.isOK() && message.notificationId() > 0) {
            registry.notificationSent();
        }
        if (closeNow) {
            closeNow();
        } else if (!result.isOK()) {
            Throwable error = result.getException();
            if (isTimeout(error)) {
                tooSlow();
            } else {
                log.debug("Send to session {} failed: {}", id(), error == null ? "?" : error.getMessage());
                close(CloseStatus.SERVER_ERROR);
            }
        }
    }

    private static boolean isTimeout(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private final class Completion implements SendHandler {
        private static final int SENDING = 0;
        private static final int CALLER_RETURNED = 1;
        private static final int DONE_INLINE = 2;
        private final Outbound message;
        private final AtomicInteger state = new AtomicInteger(SENDING);

        Completion(Outbound message) {
            this.message = message;
        }

        @Override
        public void onResult(SendResult result) {
            sent(message, result);
            if (!state.compareAndSet(SENDING, DONE_INLINE)) {
                pump(); // the caller has moved on: keep the queue moving from here
            }
        }

        /** True when the send already completed, so that the caller goes on with the next one. */
        boolean finishedInline() {
            return !state.compareAndSet(SENDING, CALLER_RETURNED);
        }
    }

    /** A queued text frame; {@code notificationId} is 0 for replies. */
    private record Outbound(String text, long notificationId, boolean counts) {
    }
}
