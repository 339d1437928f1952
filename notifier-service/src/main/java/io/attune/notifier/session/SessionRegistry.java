package io.attune.notifier.session;

import io.attune.core.background.DaemonThreads;
import io.attune.core.event.RetentionSettings;
import io.attune.model.json.Json;
import io.attune.model.ws.Notification;
import io.attune.notifier.NotifierSettings;
import io.attune.notifier.auth.Authenticated;
import io.attune.notifier.notification.FeedProgress;
import io.attune.notifier.replay.EventTrail;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.websocket.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The open sessions of this replica: hands each live notification to every one of them, pings idle ones, closes
 * those whose token expires, holds each identity to its number of sockets, runs the sessions' message handling and
 * replays on a pool of its own, and counts what it does ({@code attune.notifier.*} metrics).
 */
@Component
public class SessionRegistry implements SmartLifecycle, DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(SessionRegistry.class);
    /** Stops after the broker feed (no more notifications) and before the web server (sockets still open). */
    private static final int PHASE = Integer.MAX_VALUE - 512;
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);
    private static final CloseStatus SHUTTING_DOWN = new CloseStatus(CloseStatus.GOING_AWAY.getCode(),
            "server shutting down: reconnect with since");

    /** Tomcat's limit for a blocking send (pings, a 1000 close); the standard API has no such setting. */
    private static final String BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";
    /**
     * Tomcat's limit for sending any other close frame, 50 ms by default: too short for a client that is behind to
     * take in what is already on its way and then the 4008 that tells it where to continue.
     */
    private static final String CLOSE_SEND_TIMEOUT = "org.apache.tomcat.websocket.ABNORMAL_SESSION_CLOSE_SEND_TIMEOUT";
    private static final int BACKGROUND_THREADS = 32;

    private final NotifierSettings settings;
    private final SessionLimits limits;
    private final EventTrail trail;
    private final FeedProgress progress;
    private final Map<String, ClientSession> sessions = new ConcurrentHashMap<>();
    /** Open sessions per identity id, for the per-identity cap. */
    private final Map<Long, AtomicInteger> perIdentity = new ConcurrentHashMap<>();
    private final Map<String, ScheduledFuture<?>> expiries = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    /**
     * For what may block on one client — close frames and pings wait (up to the send timeout) behind a message still
     * on its way — so never on the feed's thread.
     */
    private final ExecutorService background;
    /** Client messages and replays: never on a socket's own thread, and a bounded number of queries at once. */
    private final ExecutorService work;
    private final Counter notificationsSent;
    private final Counter notificationsReplayed;
    private final Counter replays;
    private final Counter expiredReplays;
    private final Counter slowClientCloses;
    private final Counter floodCloses;
    private final Counter identityCapCloses;
    private volatile boolean running;

    public SessionRegistry(NotifierSettings settings, RetentionSettings retention, EventTrail trail,
                           FeedProgress progress, MeterRegistry meters) {
        this.settings = settings;
        this.limits = SessionLimits.of(settings, retention.retention());
        this.trail = trail;
        this.progress = progress;
        this.work = new ThreadPoolExecutor(settings.replayThreads(), settings.replayThreads(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), DaemonThreads.named("notifier-work-"));
        ((ThreadPoolExecutor) work).allowCoreThreadTimeOut(true);
        this.timer = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("notifier-timer-"));
        this.background = new ThreadPoolExecutor(BACKGROUND_THREADS, BACKGROUND_THREADS, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), DaemonThreads.named("notifier-io-"));
        ((ThreadPoolExecutor) background).allowCoreThreadTimeOut(true);
        Gauge.builder("attune.notifier.sessions", sessions, Map::size).description("open WebSocket sessions")
                .register(meters);
        Gauge.builder("attune.notifier.replay.queued", sessions,
                        all -> all.values().stream().mapToLong(ClientSession::replayQueued).sum())
                .description("characters of replayed notifications waiting for clients").baseUnit("chars")
                .register(meters);
        this.notificationsSent = Counter.builder("attune.notifier.notifications.sent")
                .description("notifications handed to clients").register(meters);
        this.notificationsReplayed = Counter.builder("attune.notifier.notifications.replayed")
                .description("replayed notifications handed to clients (also counted in notifications.sent)")
                .register(meters);
        this.replays = Counter.builder("attune.notifier.replays").description("subscribes with since that replayed")
                .register(meters);
        this.expiredReplays = Counter.builder("attune.notifier.replays.expired")
                .description("subscribes whose since was older than the retained trail").register(meters);
        this.slowClientCloses = Counter.builder("attune.notifier.slow.client.closes")
                .description("sessions closed because the client fell too far behind").register(meters);
        this.floodCloses = Counter.builder("attune.notifier.flood.closes")
                .description("sessions closed for subscribing or sending faster than allowed (4029)").register(meters);
        this.identityCapCloses = Counter.builder("attune.notifier.identity.cap.closes")
                .description("sockets closed at once because their identity had too many open (4029)")
                .register(meters);
        long heartbeat = settings.heartbeatInterval().toMillis();
        timer.scheduleWithFixedDelay(this::heartbeat, heartbeat, heartbeat, TimeUnit.MILLISECONDS);
    }

    void open(WebSocketSession socket, Authenticated who) {
        Session endpoint = ((NativeWebSocketSession) socket).getNativeSession(Session.class);
        endpoint.getUserProperties().put(BLOCKING_SEND_TIMEOUT, settings.sendTimeout().toMillis());
        endpoint.getUserProperties().put(CLOSE_SEND_TIMEOUT, settings.sendTimeout().toMillis());
        endpoint.getAsyncRemote().setSendTimeout(settings.sendTimeout().toMillis());
        ClientSession session = new ClientSession(socket, endpoint, who.actor(), this, limits);
        if (!admit(session)) {
            identityCapCloses.increment();
            log.info("Session {} ({}) refused: the identity already has {} open sockets", session.id(),
                    who.actor().login(), settings.maxSocketsPerIdentity());
            session.close(new CloseStatus(CloseCodes.TOO_MANY, "too many open sockets for this identity: at most "
                    + settings.maxSocketsPerIdentity()));
            return;
        }
        sessions.put(session.id(), session);
        if (who.expiresAt() != null) {
            long delay = Math.max(0, Duration.between(Instant.now(), who.expiresAt()).toMillis());
            expiries.put(session.id(), timer.schedule(session::tokenExpired, delay, TimeUnit.MILLISECONDS));
        }
    }

    ClientSession get(String id) {
        return sessions.get(id);
    }

    /** Counts the session against its identity's cap; false (and not counted) when the cap is reached. */
    private boolean admit(ClientSession session) {
        Long identity = session.actor().id();
        if (identity == null) {
            return true;
        }
        AtomicInteger open = perIdentity.computeIfAbsent(identity, k -> new AtomicInteger());
        if (open.incrementAndGet() > settings.maxSocketsPerIdentity()) {
            open.decrementAndGet();
            return false;
        }
        return true;
    }

    void closed(String id) {
        ClientSession session = sessions.remove(id);
        if (session != null) {
            session.discard();
            Long identity = session.actor().id();
            if (identity != null) {
                perIdentity.computeIfPresent(identity, (k, open) -> open.decrementAndGet() <= 0 ? null : open);
            }
        }
        ScheduledFuture<?> expiry = expiries.remove(id);
        if (expiry != null) {
            expiry.cancel(false);
        }
    }

    /** Hands a live notification to every session; never waits for any of them. */
    public void dispatch(Notification notification) {
        if (sessions.isEmpty()) {
            return;
        }
        String json = Json.write(notification);
        for (ClientSession session : sessions.values()) {
            try {
                session.offer(notification, json);
            } catch (RuntimeException e) { // one broken session must not cost the others their notification
                log.error("Notification {} not offered to session {}", notification.id(), session.id(), e);
                session.close(CloseStatus.SERVER_ERROR);
            }
        }
    }

    public int size() {
        return sessions.size();
    }

    /** How each open socket was authenticated. */
    public List<Authenticated> authentications() {
        return sessions.values().stream().map(ClientSession::authenticated).filter(Objects::nonNull).toList();
    }

    /**
     * Closes every open socket whose authentication {@code stale} picks (its token revoked, its identity disabled or
     * changed) with {@code status}; returns how many. What was on its way to them is dropped.
     */
    public int closeWhere(Predicate<Authenticated> stale, CloseStatus status) {
        int closed = 0;
        for (ClientSession session : sessions.values()) {
            Authenticated who = session.authenticated();
            if (who != null && stale.test(who)) {
                session.close(status);
                closed++;
            }
        }
        return closed;
    }

    /**
     * Closes every open socket of one identity with {@code code} and {@code reason} (e.g. when the identity is
     * disabled); returns how many. What was on its way to them is dropped.
     */
    public int closeAllOf(long identityId, int code, String reason) {
        CloseStatus status = new CloseStatus(code, CloseCodes.reason(reason));
        int closed = 0;
        for (ClientSession session : sessions.values()) {
            if (Long.valueOf(identityId).equals(session.actor().id())) {
                session.close(status);
                closed++;
            }
        }
        return closed;
    }

    /** Open sockets of one identity on this replica. */
    public int openSocketsOf(long identityId) {
        AtomicInteger open = perIdentity.get(identityId);
        return open == null ? 0 : open.get();
    }

    EventTrail trail() {
        return trail;
    }

    FeedProgress progress() {
        return progress;
    }

    /** Runs one step of a session's message handling or replay on the work pool. */
    void work(Runnable step) {
        try {
            work.execute(step);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("Shutting down: {} not run", step);
        }
    }

    void background(Runnable task) {
        try {
            background.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("Shutting down: {} not run", task); // the sockets go down with the server
        }
    }

    void notificationSent(boolean replayed) {
        notificationsSent.increment();
        if (replayed) {
            notificationsReplayed.increment();
        }
    }

    void replayStarted() {
        replays.increment();
    }

    void expiredReplay() {
        expiredReplays.increment();
    }

    void floodClosed() {
        floodCloses.increment();
    }

    void slowClientClosed() {
        slowClientCloses.increment();
    }

    private void heartbeat() {
        for (ClientSession session : sessions.values()) {
            try {
                session.heartbeat();
            } catch (RuntimeException e) { // a periodic task that throws is never run again
                log.warn("Heartbeat for session {} failed: {}", session.id(), e.getMessage());
            }
        }
    }

    @Override
    public void start() {
        running = true;
    }

    /** Tells every client the replica is going away (1001), so that it reconnects with since — elsewhere. */
    @Override
    public void stop() {
        running = false;
        sessions.values().forEach(session -> session.close(SHUTTING_DOWN));
        long deadline = System.nanoTime() + SHUTDOWN_GRACE.toNanos();
        while (!sessions.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
        work.shutdownNow();
        background.shutdown();
    }
}
