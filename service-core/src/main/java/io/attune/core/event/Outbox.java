package io.attune.core.event;

import io.attune.core.TransactionScoped;
import io.attune.model.json.Json;
import io.attune.model.message.InquiryCancelled;
import io.attune.model.message.InquiryCreated;
import io.attune.model.message.InquiryEscalated;
import io.attune.model.message.InquiryResponded;
import io.attune.model.message.InquiryTimedOut;
import io.attune.model.message.MessageEnvelope;
import io.attune.model.message.MessagePayload;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Stores events in the transaction of the state change they announce, so that both commit or neither does. The
 * {@link OutboxRelay} publishes them after the commit.
 * <p>
 * A transaction's events are held until it is about to commit and then stored in one batch, in the order they were
 * appended: a batch of a hundred reports stores its two hundred events in one round trip instead of two hundred. A
 * transaction that rolls back stores nothing. (No service uses savepoints: events appended before a rollback to one
 * would still be stored.)
 */
@Component
public class Outbox {
    /**
     * A transaction's events in one statement of six arrays, in the order they were raised (outbox ids follow it):
     * a sweep's two thousand events are one statement to plan, not sixteen of 128 rows and 768 parameters each, and
     * a single event is an array of one (a missing inquiry id an array element, typed by the array).
     */
    private static final String INSERT = "INSERT INTO attune.event "
            + "(message_id, message_type, routing_key, execution_id, inquiry_id, envelope) "
            + "SELECT m, t, r, e, i, j::jsonb FROM unnest(?::uuid[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], "
            + "?::text[]) WITH ORDINALITY AS raised(m, t, r, e, i, j, n) ORDER BY n";

    private final JdbcTemplate jdbc;
    private final RelaySignal signal;
    private final String sourceService;

    public Outbox(JdbcTemplate jdbc, RelaySignal signal, @Value("${spring.application.name:attune}") String sourceService) {
        this.jdbc = jdbc;
        this.signal = signal;
        this.sourceService = sourceService;
    }

    public <P extends MessagePayload> MessageEnvelope<P> append(P payload, UUID correlationId) {
        MessageEnvelope<P> envelope = MessageEnvelope.of(payload, correlationId, sourceService);
        pending().add(envelope);
        return envelope;
    }

    /** Stores several events at once (the timeout sweep), each with its own message id. */
    public void appendAll(List<? extends MessagePayload> payloads, UUID correlationId) {
        appendAll(payloads, payload -> correlationId);
    }

    /** Stores several events at once, each with its own message id and the correlation id {@code correlationOf} gives. */
    public <P extends MessagePayload> void appendAll(List<? extends P> payloads, Function<P, UUID> correlationOf) {
        if (!payloads.isEmpty()) {
            PendingEvents pending = pending();
            for (P payload : payloads) {
                pending.add(MessageEnvelope.of(payload, correlationOf.apply(payload), sourceService));
            }
        }
    }

    /**
     * An event stored by the very statement of the change it announces (one round trip for both, as the deciding
     * answer does): the values of its row in the order of {@link #COLUMNS}, but for {@code execution_id} and
     * {@code inquiry_id}, which that statement takes from the row it changed.
     */
    public record Row(UUID messageId, String messageType, String routingKey, String envelope) {
    }

    /** The event table and its columns, for a statement of the caller's that inserts a {@link Row}. */
    public static final String COLUMNS =
            "attune.event (message_id, message_type, routing_key, execution_id, inquiry_id, envelope)";

    /**
     * The row of {@code payload}'s event, for the caller's own statement to insert in the current transaction; the
     * relay is woken after the commit, as for {@link #append}. Events appended before it are stored first, so that
     * the table keeps them in the order they were raised.
     */
    public Row row(MessagePayload payload, UUID correlationId) {
        PendingEvents pending = pending();
        pending.store();
        MessageEnvelope<MessagePayload> envelope = MessageEnvelope.of(payload, correlationId, sourceService);
        return new Row(envelope.messageId(), envelope.messageType().wireName(), envelope.routingKey(),
                Json.write(envelope));
    }

    /** The current transaction's events, registered with it on first use (as {@code AuditTrail} holds its entries). */
    private PendingEvents pending() {
        return TransactionScoped.find(PendingEvents.class, pending -> pending.owner == this,
                () -> new PendingEvents(this), "events are stored in the transaction of the change they announce");
    }

    private void store(List<PendingEvent> events) {
        int n = events.size();
        UUID[] messageIds = new UUID[n];
        String[] types = new String[n];
        String[] routingKeys = new String[n];
        Long[] executionIds = new Long[n];
        Long[] inquiryIds = new Long[n];
        String[] json = new String[n];
        for (int i = 0; i < n; i++) {
            MessageEnvelope<?> envelope = events.get(i).envelope();
            messageIds[i] = envelope.messageId();
            types[i] = envelope.messageType().wireName();
            routingKeys[i] = envelope.routingKey();
            executionIds[i] = envelope.payload().executionId();
            inquiryIds[i] = inquiryId(envelope.payload());
            json[i] = events.get(i).json();
        }
        jdbc.update(INSERT, messageIds, types, routingKeys, executionIds, inquiryIds, json);
    }

    /** An envelope and its JSON, written when it is appended: what cannot be written fails the caller, not the commit. */
    private record PendingEvent(MessageEnvelope<?> envelope, String json) {
    }

    /**
     * A transaction's events until it commits, stored before the audit trail's append so that the chain's lock is
     * still taken last.
     */
    private static final class PendingEvents implements TransactionSynchronization {
        private final Outbox owner;
        private final List<PendingEvent> events = new ArrayList<>();

        private PendingEvents(Outbox owner) {
            this.owner = owner;
        }

        void add(MessageEnvelope<?> envelope) {
            events.add(new PendingEvent(envelope, Json.write(envelope)));
        }

        /** Stores what is held now (before the commit, or before a statement that stores an event of its own). */
        void store() {
            if (!events.isEmpty()) {
                owner.store(List.copyOf(events));
                events.clear();
            }
        }

        @Override
        public void beforeCommit(boolean readOnly) {
            store();
        }

        @Override
        public void afterCommit() {
            owner.signal.wake(); // registered only once an event was raised (appended, or a row handed out)
        }

        @Override
        public int getOrder() {
            // before the audit trail's append (LOWEST_PRECEDENCE), which takes the chain's lock
            return LOWEST_PRECEDENCE - 1;
        }
    }

    static Long inquiryId(MessagePayload payload) {
        if (payload instanceof InquiryCreated p) {
            return p.inquiryId();
        } else if (payload instanceof InquiryResponded p) {
            return p.inquiryId();
        } else if (payload instanceof InquiryTimedOut p) {
            return p.inquiryId();
        } else if (payload instanceof InquiryCancelled p) {
            return p.inquiryId();
        } else if (payload instanceof InquiryEscalated p) {
            return p.inquiryId();
        } else if (payload instanceof io.attune.model.message.InquiryUpdated p) {
            return p.inquiryId();
        } else if (payload instanceof io.attune.model.message.InquiryReminder p) {
            return p.inquiryId();
        }
        return null;
    }
}
