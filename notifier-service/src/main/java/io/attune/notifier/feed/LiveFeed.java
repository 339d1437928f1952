package io.attune.notifier.feed;

import io.attune.core.error.Failures;
import io.attune.model.message.MalformedMessageException;
import io.attune.model.message.MessageEnvelope;
import io.attune.model.message.MessagePayload;
import io.attune.model.message.Messages;
import io.attune.model.ws.Notification;
import io.attune.notifier.replay.EventTrail;
import io.attune.notifier.session.SessionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Turns the inquiry events this replica's own queue receives into notifications for its sessions.
 *
 * <p>The relay publishes events in id order, so the queue delivers them in id order; an event seen twice (the relay
 * re-publishes after a crash, with the same id) is dropped here. The queue is exclusive to this replica's broker
 * connection, so when that connection is lost the queue — and whatever was in it — is gone: the next event to arrive
 * first brings up from the event trail every event in between, and sessions see no gap. The same catch-up covers
 * the moments between start-up and the queue's first delivery.
 */
@Component
public class LiveFeed implements MessageListener, ConnectionListener {
    private static final Logger log = LoggerFactory.getLogger(LiveFeed.class);
    private static final int CATCH_UP_PAGE = 1000;

    private final SessionRegistry sessions;
    private final InquiryFactsCache facts;
    private final EventTrail trail;
    /** Only touched by the single consumer thread. */
    private long lastDispatched;
    private volatile boolean interrupted = true;

    public LiveFeed(SessionRegistry sessions, InquiryFactsCache facts, EventTrail trail) {
        this.sessions = sessions;
        this.facts = facts;
        this.trail = trail;
        // Taken before the queue exists (it is declared once the broker connection opens), so the first catch-up
        // covers everything committed since.
        this.lastDispatched = trail.lastEventId();
    }

    @Override
    public void onMessage(Message message) {
        MessageEnvelope<MessagePayload> envelope;
        try {
            envelope = Messages.read(message.getBody());
        } catch (MalformedMessageException e) {
            log.warn("Ignored a malformed message on the notifier feed: {}", e.getMessage());
            return;
        }
        Long eventId = eventId(envelope, message);
        if (eventId == null) {
            log.warn("Ignored {} {}: it has no event_id (events are published by the outbox relay only)",
                    envelope.messageType().wireName(), envelope.messageId());
            return;
        }
        if (eventId <= lastDispatched) {
            return; // published again after a relay crash; already notified
        }
        if (interrupted) {
            interrupted = false;
            catchUp(eventId);
        }
        Optional<Long> inquiryId = NotificationFactory.inquiryId(envelope.payload());
        if (inquiryId.isPresent()) {
            Optional<InquiryFacts> known = NotificationFactory.factsIn(envelope.payload());
            known.ifPresent(f -> facts.remember(inquiryId.get(), f));
            InquiryFacts inquiry = known.or(() -> retrying(() -> facts.find(inquiryId.get()))).orElse(null);
            if (inquiry == null) {
                log.warn("Event {} is about inquiry {}, which does not exist: not notified", eventId, inquiryId.get());
            } else {
                NotificationFactory.notification(eventId, envelope.payload(), inquiry).ifPresent(sessions::dispatch);
            }
        }
        lastDispatched = eventId;
    }

    /** Dispatches, from the trail, the events between the last one dispatched and {@code beforeId}. */
    private void catchUp(long beforeId) {
        List<Notification> page;
        do {
            long after = lastDispatched;
            page = retrying(() -> trail.after(after, beforeId, Subscription.everything(), CATCH_UP_PAGE));
            if (!page.isEmpty()) {
                log.info("Caught up {} notification(s) the broker feed missed (ids {}..{})", page.size(),
                        page.get(0).id(), page.get(page.size() - 1).id());
            }
            for (Notification notification : page) {
                sessions.dispatch(notification);
                lastDispatched = notification.id();
            }
        } while (page.size() == CATCH_UP_PAGE);
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
        Object amqpHeader = message.getMessageProperties().getHeaders().get(MessageEnvelope.EVENT_ID);
        return amqpHeader instanceof Number n ? n.longValue() : null;
    }

    @Override
    public void onCreate(Connection connection) {
        // the queue is (re)declared by RabbitAdmin on this connection; the gap is closed at the next event
    }

    @Override
    public void onClose(Connection connection) {
        interrupted = true;
    }

    @Override
    public void onShutDown(com.rabbitmq.client.ShutdownSignalException signal) {
        interrupted = true;
    }
}
