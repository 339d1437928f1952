package io.attune.core.event;

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
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.sql.Types;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Stores events in the transaction of the state change they announce, so that both commit or neither does. The
 * {@link OutboxRelay} publishes them after the commit.
 */
@Component
public class Outbox {
    private static final String INSERT = "INSERT INTO attune.event "
            + "(message_id, message_type, routing_key, execution_id, inquiry_id, envelope) VALUES (?, ?, ?, ?, ?, ?::jsonb)";

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
        store(List.<MessageEnvelope<?>>of(envelope));
        return envelope;
    }

    /** Stores several events at once (the timeout sweep), each with its own message id. */
    public void appendAll(List<? extends MessagePayload> payloads, UUID correlationId) {
        appendAll(payloads, payload -> correlationId);
    }

    /** Stores several events at once, each with its own message id and the correlation id {@code correlationOf} gives. */
    public <P extends MessagePayload> void appendAll(List<? extends P> payloads, Function<P, UUID> correlationOf) {
        if (!payloads.isEmpty()) {
            List<MessageEnvelope<?>> envelopes = new java.util.ArrayList<>();
            for (P payload : payloads) {
                envelopes.add(MessageEnvelope.of(payload, correlationOf.apply(payload), sourceService));
            }
            store(envelopes);
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
     * relay is woken after the commit, as for {@link #append}.
     */
    public Row row(MessagePayload payload, UUID correlationId) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("events are stored in the transaction of the change they announce");
        }
        MessageEnvelope<MessagePayload> envelope = MessageEnvelope.of(payload, correlationId, sourceService);
        wakeAfterCommit();
        return new Row(envelope.messageId(), envelope.messageType().wireName(), envelope.routingKey(),
                Json.write(envelope));
    }

    private void wakeAfterCommit() {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                signal.wake();
            }
        });
    }

    private void store(List<MessageEnvelope<?>> envelopes) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("events are stored in the transaction of the change they announce");
        }
        jdbc.batchUpdate(INSERT, envelopes, 1000, (ps, envelope) -> {
            ps.setObject(1, envelope.messageId());
            ps.setString(2, envelope.messageType().wireName());
            ps.setString(3, envelope.routingKey());
            ps.setLong(4, envelope.payload().executionId());
            Long inquiryId = inquiryId(envelope.payload());
            if (inquiryId == null) {
                ps.setNull(5, Types.BIGINT);
            } else {
                ps.setLong(5, inquiryId);
            }
            ps.setString(6, Json.write(envelope));
        });
        wakeAfterCommit();
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
