package io.attune.notifier.session;

import io.attune.core.identity.Actor;
import io.attune.model.json.Json;
import io.attune.model.ws.Notification;
import io.attune.model.ws.ServerMessage;
import io.attune.model.ws.SubscriptionFilters;
import io.attune.notifier.auth.Authenticated;
import io.attune.notifier.notification.Subscription;
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
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client: its subscription, its own bounded outbound queue drained by non-blocking sends with at most one in
 * flight, and its own inbox of client messages.
 *
 * <p>Sending: whoever offers a message (the feed's single thread, this session's message handling) only ever
 * enqueues and starts a send, so a client that stops reading holds up nobody but itself; once more than
 * {@code bufferLimit} messages wait for it, it is closed with {@link CloseCodes#TOO_SLOW} and reconnects with
 * {@code since}.
 *
 * <p>Handling: the socket's thread only parses a client message and puts it in the inbox; the inbox is worked off
 * one message at a time on the registry's shared pool — one step per turn, so that one busy client cannot keep a
 * pool thread from the others — and a subscribe that replays occupies it until the replay is queued. A client that
 * lets more than {@code pendingMessages} wait, or subscribes faster than its allowance, is closed with
 * {@link CloseCodes#TOO_MANY}.
 *
 * <p>Replay: a subscribe first holds live notifications back, reads the trail's newest id (its {@code position}),
 * replies {@code subscribed}, reads the trail up to that position page by page — pausing while more than
 * {@code replayBuffer} bytes of it wait for the client — then releases the held notifications that are newer than
 * the last one replayed. Every notification queued has a larger id than the one before, which also drops the
 * duplicates a relay retry can publish.
 */
final class ClientSession {
    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);
    /** Notifications one query of a replay reads. */
    static final int REPLAY_PAGE = 100;

    private final WebSocketSession socket;
    private final Session endpoint;
    private final Actor actor;
    private final SessionRegistry registry;
    private final SessionLimits limits;

    private final Object lock = new Object();
    private final ArrayDeque<Outbound> queue = new ArrayDeque<>();
    /** Queued messages that count against the buffer limit (all but replayed notifications, bounded on their own). */
    private int counted;
    /** Characters of replayed notifications queued and not yet sent. */
    private long replayQueued;
    private boolean sending;
    private CloseStatus closing;
    /** A close waiting for the message on its way, so that its frame never lands between that message's fragments. */
    private boolean closeAfterSend;
    private Subscription subscription;
    /** Live notifications are held back (a subscribe is reading the trail) in {@link #held}. */
    private boolean holding;
    /** After a truncated or failed replay: nothing more until the client subscribes again with since. */
    private boolean paused;
    private final List<Outbound> held = new ArrayList<>();
    private long lastQueuedId;
    /** The last notification completely handed to the socket: what a client that gets our close frame has seen. */
    private long lastSentId;

    private final ArrayDeque<Runnable> inbox = new ArrayDeque<>();
    /** A step of this session is scheduled, running, or waiting for the client to take replayed notifications. */
    private boolean working;
    private Replay replay;
    private boolean replayWaitsForClient;
    private final SubscribeAllowance allowance;

    ClientSession(WebSocketSession socket, Session endpoint, Actor actor, SessionRegistry registry,
                  SessionLimits limits) {
        this.socket = socket;
        this.endpoint = endpoint;
        this.actor = actor;
        this.registry = registry;
        this.limits = limits;
        this.allowance = new SubscribeAllowance(limits.subscribeBurst(), limits.subscribesPerSecond());
    }

    String id() {
        return socket.getId();
    }

    /** Characters of replayed notifications waiting for this client (bounded by the replay buffer, plus one). */
    long replayQueued() {
        synchronized (lock) {
            return replayQueued;
        }
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
            Outbound live = new Outbound(json, notification.id(), true, false);
            if (holding) {
                if (held.size() >= limits.bufferLimit()) {
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

    // ---- the inbox: client messages, handled in order off the socket's thread ----

    /**
     * The assignee keys the {@code user_id} filter matches: the identity and its groups as they are when the
     * subscription starts (the socket's own identity as its token says; another's read from the database, or only
     * the identity itself while the database cannot be read).
     */
    private Set<String> filterPrincipals(SubscriptionFilters filters) {
        Long user = filters == null ? null : filters.userId();
        if (user == null) {
            return null;
        }
        if (user.equals(actor.id())) {
            return actor.principals();
        }
        try {
            return registry.trail().principalsOf(user);
        } catch (DataAccessException e) {
            log.warn("Session {}: the groups of identity {} cannot be read ({}); its user_id filter matches inquiries "
                    + "that list it directly until the next subscribe", id(), user, e.getMessage());
            return null;
        }
    }

    /** Replaces the subscription; with {@code since}, replays the trail first. Refused beyond the allowance. */
    void subscribe(SubscriptionFilters filters, Long since) {
        boolean allowed;
        synchronized (lock) {
            allowed = allowance.take(System.nanoTime());
        }
        if (!allowed) {
            tooMany("too many subscribes: at most " + limits.subscribeBurst() + " at once and "
                    + Format.rate(limits.subscribesPerSecond()) + " per second after that");
            return;
        }
        submit(() -> startSubscription(filters, since));
    }

    void unsubscribe() {
        submit(() -> {
            boolean overflow;
            synchronized (lock) {
                subscription = null;
                holding = false;
                paused = false;
                held.clear();
                overflow = !enqueue(control(ServerMessage.unsubscribed()), false);
            }
            afterEnqueue(overflow);
        });
    }

    /** A reply (pong, error) in its place among the replies to the client's other messages. */
    void reply(ServerMessage message) {
        submit(() -> replyNow(message));
    }

    private void replyNow(ServerMessage message) {
        boolean overflow;
        synchronized (lock) {
            overflow = !enqueue(control(message), false);
        }
        afterEnqueue(overflow);
    }

    private void submit(Runnable message) {
        boolean start = false;
        boolean flood = false;
        synchronized (lock) {
            if (closing != null) {
                return;
            }
            if (inbox.size() >= limits.pendingMessages()) {
                flood = true;
            } else {
                inbox.add(message);
                if (!working) {
                    working = true;
                    start = true;
                }
            }
        }
        if (flood) {
            tooMany("too many messages waiting to be handled: at most " + limits.pendingMessages());
        } else if (start) {
            registry.work(this::step);
        }
    }

    /** One turn: the next page of a replay, or the next client message; then back in line behind other sessions. */
    private void step() {
        Runnable work;
        synchronized (lock) {
            if (closing != null) {
                inbox.clear();
                replay = null;
                working = false;
                return;
            }
            if (replay != null) {
                if (replayQueued >= limits.replayBuffer()) {
                    replayWaitsForClient = true; // sent() schedules the next step once the client has taken half
                    return;
                }
                work = this::replayPage;
            } else {
                work = inbox.poll();
                if (work == null) {
                    working = false;
                    return;
                }
            }
        }
        try {
            work.run();
        } catch (RuntimeException e) { // a defect: the client hears of it, the session goes on
            log.error("Message of session {} not handled", id(), e);
            synchronized (lock) {
                replay = null;
                holding = false;
                held.clear();
            }
            replyNow(ServerMessage.error("the message could not be handled; please try again"));
        }
        registry.work(this::step);
    }

    private void startSubscription(SubscriptionFilters filters, Long since) {
        Subscription next = new Subscription(filters, actor, filterPrincipals(filters));
        synchronized (lock) {
            if (closing != null) {
                return;
            }
            subscription = next;
            paused = false;
            holding = true; // from here on, live notifications wait until the position is known
            held.clear();
        }
        long position;
        Long expiredThrough = null;
        String note = null;
        try {
            position = registry.trail().lastEventId();
            if (since != null) {
                long pruned = registry.trail().prunedThrough();
                if (since < pruned) {
                    expiredThrough = pruned;
                    note = "events up to id " + pruned + " are older than the retention (" + limits.retentionText()
                            + ") and cannot be replayed: some notifications after since=" + since + " are lost; "
                            + "reload the current state through the API";
                    registry.expiredReplay();
                }
            }
        } catch (DataAccessException e) {
            log.warn("Session {} subscribes while the event trail is unavailable: {}", id(), e.getMessage());
            position = registry.progress().dispatchedThrough();
            if (since != null) {
                synchronized (lock) {
                    holding = false;
                    paused = true;
                    held.clear();
                }
                replyNow(ServerMessage.subscribed(next.filters(), since, position, null, null));
                replyNow(ServerMessage.replayStopped(since, "replay failed: the event trail is unavailable; "
                        + "subscribe again with since=" + since));
                return;
            }
        }
        boolean overflow;
        synchronized (lock) {
            if (closing != null || subscription != next) {
                return;
            }
            overflow = !enqueue(control(ServerMessage.subscribed(next.filters(), since, position, expiredThrough,
                    note)), false);
            if (since == null) {
                releaseHeld();
            } else {
                long from = Math.min(since, position); // a since ahead of the trail would swallow every id up to it
                lastQueuedId = from; // live ones are only held meanwhile
                replay = new Replay(next, from, position, limits.replayLimit());
                registry.replayStarted();
            }
        }
        afterEnqueue(overflow);
    }

    /** Reads and queues one page of the replay in progress; finishes it when the trail has no more up to its end. */
    private void replayPage() {
        Replay current;
        synchronized (lock) {
            current = replay;
            if (current == null || subscription != current.subscription) {
                replay = null;
                return;
            }
        }
        int fetch = Math.min(REPLAY_PAGE, current.remaining + 1);
        List<Notification> page;
        try {
            page = registry.trail().after(current.after, current.through + 1, current.subscription, fetch);
        } catch (DataAccessException e) {
            log.warn("Replay for session {} failed: {}", id(), e.getMessage());
            stopReplay(current, "replay failed: the event trail is unavailable; subscribe again with since=");
            return;
        }
        boolean truncated = page.size() > current.remaining;
        List<Outbound> replayed = new ArrayList<>();
        for (Notification notification : truncated ? page.subList(0, current.remaining) : page) {
            replayed.add(new Outbound(Json.write(notification), notification.id(), false, true));
        }
        synchronized (lock) {
            if (closing != null || replay != current || subscription != current.subscription) {
                return;
            }
            int queued = 0;
            for (Outbound notification : replayed) {
                if (queued > 0 && replayQueued >= limits.replayBuffer()) {
                    break; // the rest of the page is read again once the client has taken its share
                }
                enqueue(notification, true);
                replayQueued += notification.text().length();
                queued++;
            }
            current.remaining -= queued;
            current.after = lastQueuedId;
            boolean wholePage = queued == replayed.size(); // else the next step goes on from the last one queued
            if (wholePage && truncated) {
                paused = true;
                enqueue(control(ServerMessage.replayStopped(lastQueuedId, "replay truncated after "
                        + limits.replayLimit() + " notifications; subscribe again with since=" + lastQueuedId
                        + " for the rest")), true);
                finishReplay();
            } else if (wholePage && page.size() < fetch) {
                releaseHeld();
                finishReplay();
            }
        }
        pump();
    }

    private void stopReplay(Replay which, String message) {
        synchronized (lock) {
            if (closing != null || replay != which) {
                return;
            }
            paused = true;
            enqueue(control(ServerMessage.replayStopped(lastQueuedId, message + lastQueuedId)), true);
            finishReplay();
        }
        pump();
    }

    /** Call holding the lock. */
    private void finishReplay() {
        replay = null;
        holding = false;
        held.clear();
    }

    /** Queues the live notifications held while the position was read; call holding the lock. */
    private void releaseHeld() {
        for (Outbound live : held) {
            if (live.notificationId() > lastQueuedId) {
                enqueue(live, true);
            }
        }
        holding = false;
        held.clear();
    }

    // ---- sending ----

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
            dropWaiting();
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
            dropWaiting();
        }
    }

    private void dropWaiting() {
        queue.clear();
        counted = 0;
        replayQueued = 0;
        held.clear();
        inbox.clear();
        replay = null;
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

    private void tooMany(String reason) {
        synchronized (lock) {
            if (closing != null) {
                return;
            }
        }
        log.info("Session {} ({}) is closed with {}: {}", id(), actor.login(), CloseCodes.TOO_MANY, reason);
        registry.floodClosed();
        close(new CloseStatus(CloseCodes.TOO_MANY, CloseCodes.reason(reason)));
    }

    private Outbound control(ServerMessage message) {
        return new Outbound(Json.write(message), 0, true, false);
    }

    /** Queues unless the buffer is full (forced messages are bounded elsewhere); call holding the lock. */
    private boolean enqueue(Outbound message, boolean force) {
        if (message.counts() && !force && counted >= limits.bufferLimit()) {
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
        boolean resumeReplay = false;
        synchronized (lock) {
            sending = false;
            if (result.isOK() && message.notificationId() > 0) {
                lastSentId = message.notificationId();
            }
            if (message.replayed()) {
                replayQueued = Math.max(0, replayQueued - message.text().length());
                if (replayWaitsForClient && replayQueued <= limits.replayBuffer() / 2) {
                    replayWaitsForClient = false;
                    resumeReplay = true;
                }
            }
            closeNow = closeAfterSend;
            closeAfterSend = false;
        }
        if (result.isOK() && message.notificationId() > 0) {
            registry.notificationSent(message.replayed());
        }
        if (resumeReplay) {
            registry.work(this::step);
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

    /** A replay in progress: ids above {@code after} up to {@code through}, at most {@code remaining} more. */
    private static final class Replay {
        final Subscription subscription;
        final long through;
        long after;
        int remaining;

        Replay(Subscription subscription, long after, long through, int remaining) {
            this.subscription = subscription;
            this.after = after;
            this.through = through;
            this.remaining = remaining;
        }
    }

    /** A queued text frame; {@code notificationId} is 0 for replies. */
    private record Outbound(String text, long notificationId, boolean counts, boolean replayed) {
    }

    /** Number formatting for close reasons. */
    private static final class Format {
        static String rate(double perSecond) {
            return perSecond == Math.rint(perSecond) ? Long.toString((long) perSecond) : Double.toString(perSecond);
        }
    }
}
