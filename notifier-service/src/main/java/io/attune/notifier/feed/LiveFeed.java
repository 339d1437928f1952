package io.attune.notifier.feed;

import io.attune.core.background.DaemonThreads;
import io.attune.notifier.notification.NotificationFactory;
import io.attune.notifier.notification.FeedProgress;
import io.attune.notifier.notification.Subscription;
import io.attune.notifier.notification.InquiryFacts;
import io.attune.core.error.Failures;
import io.attune.model.message.MalformedMessageException;
import io.attune.model.message.MessageEnvelope;
import io.attune.model.message.MessagePayload;
import io.attune.model.message.Messages;
import io.attune.model.ws.Notification;
import io.attune.notifier.replay.EventTrail;
import io.attune.notifier.session.SessionRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.BatchMessageListener;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.amqp.rabbit.listener.ConsumeOkEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Turns the inquiry events this replica's own queue receives into notifications for its sessions.
 *
 * <p>The relay publishes events in id order, so the queue delivers them in id order; an event seen twice (the relay
 * re-publishes after a crash, with the same id) is dropped here. The queue is exclusive to this replica's broker
 * connection, so when that connection is lost the queue — and whatever was in it — is gone. The gap is closed from
 * the event trail as soon as the queue consumes again on the new connection (and, failing that, at the next event or
 * the next periodic check): every event up to the trail's newest is dispatched first, and the gap counts as closed
 * only once that has succeeded. A catch-up only counts once the new queue consumes: an event published before that
 * moment is in the trail, one published after it is in the queue. The same catch-up covers the moments between
 * start-up and the queue's first delivery.
 *
 * <p>An event id above the trail's newest cannot come from the relay (it publishes only ids already committed): such
 * a message is forged or misrouted, and is ignored — it must not make the feed skip the real events below it.
 */
@Component
public class LiveFeed implements BatchMessageListener, ConnectionListener {
    private static final Logger log = LoggerFactory.getLogger(LiveFeed.class);
    private static final int CATCH_UP_PAGE = 1000;
    private static final long GAP_CHECK_MILLIS = 5_000;

    private final String queue;
    private final SessionRegistry sessions;
    private final InquiryFactsCache facts;
    private final EventTrail trail;
    private final FeedProgress progress;
    private final Counter caughtUp;
    private final Counter ignoredAhead;
    private final Counter unread;
    private final ScheduledExecutorService catchUps;
    /** Dispatching happens under this lock: the consumer thread and the catch-up thread take turns, in id order. */
    private final Object dispatching = new Object();
    private long lastDispatched;
    /** The newest id known to be in the trail; an event above it is checked against the trail first. */
    private long knownNewest;
    /** Broker connections lost so far: each opens a gap in the feed. */
    private final AtomicLong breaks = new AtomicLong();
    /** The value of {@link #breaks} when the queue last started consuming (-1: not yet). */
    private volatile long consumingAfter = -1;
    /** The value of {@link #breaks} whose gap has been closed (-1: the start-up gap is still open). */
    private long closedAfter = -1;

    LiveFeed(FeedConfiguration.FeedQueue feedQueue, SessionRegistry sessions, InquiryFactsCache facts,
             EventTrail trail, FeedProgress progress, MeterRegistry meters) {
        this.queue = feedQueue.queue().getName();
        this.sessions = sessions;
        this.facts = facts;
        this.trail = trail;
        this.progress = progress;
        this.caughtUp = Counter.builder("attune.notifier.feed.caught.up")
                .description("notifications the broker feed missed, dispatched from the event trail").register(meters);
        this.ignoredAhead = Counter.builder("attune.notifier.feed.ignored.ahead")
                .description("messages ignored because their event id is beyond the trail's newest").register(meters);
        this.unread = Counter.builder("attune.notifier.feed.unread")
                .description("events passed on without reading them, because no session was open").register(meters);
        this.catchUps = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("notifier-feed-catch-up-"));
        // Taken before the queue exists (it is declared once the broker connection opens), so the first catch-up
        // covers everything committed since.
        this.lastDispatched = trail.lastEventId();
        this.knownNewest = lastDispatched;
        progress.advanceTo(lastDispatched);
        catchUps.scheduleWithFixedDelay(this::closeGapIfAny, GAP_CHECK_MILLIS, GAP_CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * What arrived together, in order. The facts of the inquiries the events are about (not carried by them) are read
     * first, in one query for the lot, so that a backlog of answers to inquiries this replica has not seen created
     * costs one round trip per batch, not one per event on the feed's only thread.
     */
    @Override
    public void onMessageBatch(List<Message> messages) {
        List<Received> received = new ArrayList<>(messages.size());
        for (Message message : messages) {
            Received one = read(message);
            if (one != null) {
                received.add(one);
            }
        }
        rememberFactsFor(received);
        received.forEach(this::take);
    }

    @Override
    public void onMessage(Message message) {
        onMessageBatch(List.of(message));
    }

    /** The event a message carries; null for one to ignore. Without a session open its body is not read. */
    private Received read(Message message) {
        Long announced = headerEventId(message);
        if (announced != null && sessions.size() == 0) {
            // Nobody to notify: the event only moves the feed on, so its body is not read. A session that opens later
            // finds it in the trail (it was committed before it was published) and its inquiry's facts in the table.
            unread.increment();
            return new Received(announced, null, () -> "event " + announced);
        }
        MessageEnvelope<MessagePayload> envelope;
        try {
            envelope = Messages.read(message.getBody());
        } catch (MalformedMessageException e) {
            log.warn("Ignored a malformed message on the notifier feed: {}", e.getMessage());
            return null;
        }
        Long eventId = eventId(envelope, message);
        if (eventId == null) {
            log.warn("Ignored {} {}: it has no event_id (events are published by the outbox relay only)",
                    envelope.messageType().wireName(), envelope.messageId());
            return null;
        }
        return new Received(eventId, envelope.payload(),
                () -> envelope.messageType().wireName() + " " + envelope.messageId());
    }

    private void rememberFactsFor(List<Received> received) {
        List<Long> missing = received.stream()
                .map(Received::payload)
                .filter(payload -> payload != null && NotificationFactory.factsIn(payload).isEmpty())
                .flatMap(payload -> NotificationFactory.inquiryId(payload).stream())
                .toList();
        if (missing.size() > 1) {
            try {
                facts.loadMissing(missing);
            } catch (RuntimeException e) { // each is then looked up on its own, waiting out an outage
                log.debug("Reading the facts of {} inquiries at once failed: {}", missing.size(), e.getMessage());
            }
        }
    }

    /** An event taken off the queue: its payload is null when it was not read. */
    private record Received(long eventId, MessagePayload payload, Supplier<String> described) {
    }

    /** Dispatches the event (or, without a payload, only counts it as passed), unless it is a repeat or forged. */
    private void take(Received event) {
        long eventId = event.eventId();
        MessagePayload payload = event.payload();
        long breaksSeen = breaks.get();
        synchronized (dispatching) {
            if (eventId <= lastDispatched) {
                return; // published again after a relay crash; already notified
            }
            if (eventId > knownNewest) {
                knownNewest = retrying(trail::lastEventId);
                if (eventId > knownNewest) {
                    ignoredAhead.increment();
                    log.warn("Ignored {}: its event_id {} is beyond the trail's newest event ({})",
                            event.described().get(), eventId, knownNewest);
                    return;
                }
            }
            if (closedAfter != breaksSeen && consumingAfter == breaksSeen) {
                catchUp(eventId); // the first event on the new queue: what came before it is in the trail
                closedAfter = breaksSeen;
            }
            if (payload == null) {
                advance(eventId);
            } else {
                dispatch(eventId, payload);
            }
        }
    }

    private void dispatch(long eventId, MessagePayload payload) {
        Optional<Long> inquiryId = NotificationFactory.inquiryId(payload);
        if (inquiryId.isPresent()) {
            Optional<InquiryFacts> known = NotificationFactory.factsIn(payload);
            known.ifPresent(f -> facts.remember(inquiryId.get(), f));
            InquiryFacts inquiry = known.or(() -> retrying(() -> facts.find(inquiryId.get()))).orElse(null);
            if (inquiry != null && payload instanceof io.attune.model.message.InquiryEscalated escalated) {
                inquiry = inquiry.reassigned(escalated.assignedTo());
                facts.remember(inquiryId.get(), inquiry);
            }
            if (inquiry == null) {
                log.warn("Event {} is about inquiry {}, which does not exist: not notified", eventId, inquiryId.get());
            } else {
                NotificationFactory.notification(eventId, payload, inquiry).ifPresent(sessions::dispatch);
            }
        }
        advance(eventId);
    }

    private void advance(long eventId) {
        lastDispatched = eventId;
        knownNewest = Math.max(knownNewest, eventId);
        progress.advanceTo(eventId);
    }

    /** Dispatches, from the trail, the events between the last one dispatched and {@code beforeId} (exclusive). */
    private void catchUp(long beforeId) {
        List<Notification> page;
        do {
            long after = lastDispatched;
            page = retrying(() -> trail.after(after, beforeId, Subscription.everything(), CATCH_UP_PAGE));
            if (!page.isEmpty()) {
                log.info("Caught up {} notification(s) the broker feed missed (ids {}..{})", page.size(),
                        page.get(0).id(), page.get(page.size() - 1).id());
                caughtUp.increment(page.size());
            }
            for (Notification notification : page) {
                sessions.dispatch(notification);
                advance(notification.id());
            }
        } while (page.size() == CATCH_UP_PAGE);
    }

    /**
     * Closes the gap up to the trail's newest event, unless one is not open. Runs as soon as the queue consumes again
     * after a reconnection (a quiet system would otherwise stay behind until its next event), and periodically in
     * case that failed.
     */
    void closeGapIfAny() {
        long breaksSeen = breaks.get();
        if (consumingAfter != breaksSeen) {
            return; // no queue consumes on the current connection yet: a catch-up now could not close the gap
        }
        try {
            synchronized (dispatching) {
                if (closedAfter == breaksSeen) {
                    return;
                }
                long newest = retrying(trail::lastEventId);
                knownNewest = Math.max(knownNewest, newest);
                catchUp(newest + 1);
                closedAfter = breaksSeen;
            }
        } catch (RuntimeException e) { // the gap stays open: the next event or the next check closes it
            log.warn("Catching up the broker feed failed, will try again: {}", e.getMessage());
        }
    }

    /**
     * The queue consumes (again): whatever it lost before this moment is in the trail. Published synchronously by the
     * listener container before the first delivery to the new consumer, so that delivery already knows.
     */
    @EventListener
    void consuming(ConsumeOkEvent event) {
        if (!queue.equals(event.getQueue())) {
            return;
        }
        consumingAfter = breaks.get();
        catchUps.execute(this::closeGapIfAny);
    }


    /** Waits out a database outage: notifications must not be skipped, and later ones must not overtake them. */
    private <T> T retrying(Supplier<T> query) {
        long backoff = 250;
        while (true) {
            try {
                return query.get();
            } catch (RuntimeException e) {
                if (!Failures.isOutage(e) && !Failures.isContention(e)) {
                    throw e;
                }
                log.warn("Database unavailable for the notifier feed, retrying in {} ms: {}", backoff, e.getMessage());
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    private static Long eventId(MessageEnvelope<?> envelope, Message message) {
        String header = envelope.headers() == null ? null : envelope.headers().get(MessageEnvelope.EVENT_ID);
        try {
            if (header != null) {
                return Long.valueOf(header);
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return headerEventId(message);
    }

    /** The event id the relay also sets as an AMQP header, readable without parsing the body. */
    private static Long headerEventId(Message message) {
        Object amqpHeader = message.getMessageProperties().getHeaders().get(MessageEnvelope.EVENT_ID);
        return amqpHeader instanceof Number n ? n.longValue() : null;
    }

    @Override
    public void onCreate(Connection connection) {
        // the queue is (re)declared by RabbitAdmin on this connection; the gap is closed once it consumes
    }

    @Override
    public void onClose(Connection connection) {
        breaks.incrementAndGet();
    }

    @Override
    public void onShutDown(com.rabbitmq.client.ShutdownSignalException signal) {
        breaks.incrementAndGet();
    }

    /** Stops the catch-up thread with the application. */
    @jakarta.annotation.PreDestroy
    void stop() {
        catchUps.shutdownNow();
    }
}
