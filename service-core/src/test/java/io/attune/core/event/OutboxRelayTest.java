package io.attune.core.event;

import io.attune.core.CoreIntegrationTest;
import io.attune.model.json.Json;
import io.attune.model.message.ExecutionRequested;
import io.attune.model.message.MessageEnvelope;
import io.attune.model.message.MessagePayload;
import io.attune.testsupport.BrokerProbe;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutboxRelayTest extends CoreIntegrationTest {
    @Autowired
    Outbox outbox;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    OutboxRelay relay;

    @Test
    void committedEventsArriveInOrderWithIncreasingEventIds() {
        try (BrokerProbe probe = new BrokerProbe(environment, "execution.requested")) {
            UUID correlation = UUID.randomUUID();
            transactions.executeWithoutResult(tx -> {
                for (int i = 1; i <= 3; i++) {
                    outbox.append(new ExecutionRequested(1000 + i, "examples.x", Json.object()), correlation);
                }
            });
            List<MessageEnvelope<MessagePayload>> received = probe.take(3, Duration.ofSeconds(10));
            assertThat(received).extracting(m -> ((ExecutionRequested) m.payload()).executionId())
                    .containsExactly(1001L, 1002L, 1003L);
            assertThat(received).allSatisfy(m -> assertThat(m.correlationId()).isEqualTo(correlation));
            List<Long> eventIds = received.stream().map(m -> Long.parseLong(m.headers().get("event_id"))).toList();
            assertThat(eventIds).isSorted().doesNotHaveDuplicates();
            assertThat(received.get(0).headers()).containsEntry("source_service", "core-test");
        }
    }

    /**
     * Events stored one after the other get their public ids in that order, however Postgres lays the rows out:
     * a client replaying from an id must see "created" before the "responded" stored after it.
     */
    @Test
    void idsFollowTheOrderEventsWereStoredInEvenWhenTheRowsLieElsewhere() throws Exception {
        relay.stop();
        try {
            transactions.executeWithoutResult(tx -> {
                for (int i = 0; i < 3_000; i++) {
                    outbox.append(new ExecutionRequested(10_000 + i, "examples.x", Json.object()), null);
                }
            });
            // rewrite every third row, so that a scan of the table meets them out of storing order
            jdbc.sql("UPDATE attune.event SET routing_key = routing_key WHERE id IS NULL AND outbox_id % 3 = 0")
                    .update();
            jdbc.sql("ANALYZE attune.event").update();
            relay.drain();
        } finally {
            relay.start();
        }
        List<Long> idsInStoringOrder = jdbc.sql("SELECT id FROM attune.event WHERE routing_key = "
                + "'execution.requested' AND (envelope -> 'payload' ->> 'execution_id')::bigint >= 10000 "
                + "ORDER BY outbox_id").query(Long.class).list();
        assertThat(idsInStoringOrder).hasSize(3_000).isSorted().doesNotHaveDuplicates();
    }

    /**
     * What a relay left with ids but unpublished (it stopped between giving them ids and publishing them) goes out
     * first, every batch of it, then what was stored since: all in one drain.
     */
    @Test
    void eventsLeftUnpublishedGoFirstEveryBatchOfThemThenTheNewOnes() throws Exception {
        relay.stop();
        try {
            transactions.executeWithoutResult(tx -> {
                for (int i = 0; i < 1_100; i++) { // more than two of the relay's batches (500)
                    outbox.append(new ExecutionRequested(20_000 + i, "examples.x", Json.object()), null);
                }
            });
            // as a relay does before publishing, for all of them at once
            jdbc.sql("SELECT count(*) FROM attune.sequence_events(10000)").query(Long.class).single();
            transactions.executeWithoutResult(tx -> {
                for (int i = 0; i < 5; i++) {
                    outbox.append(new ExecutionRequested(21_100 + i, "examples.x", Json.object()), null);
                }
            });
            relay.drain();
        } finally {
            relay.start();
        }
        String ours = "FROM attune.event WHERE routing_key = 'execution.requested' "
                + "AND (envelope -> 'payload' ->> 'execution_id')::bigint >= 20000";
        assertThat(jdbc.sql("SELECT count(*) " + ours + " AND id <= (SELECT published_through FROM attune.event_relay)")
                .query(Long.class).single()).as("recorded as published").isEqualTo(1_105L);
        assertThat(jdbc.sql("SELECT id " + ours + " ORDER BY outbox_id").query(Long.class).list())
                .hasSize(1_105).isSorted();
    }

    @Test
    void anEventOfARolledBackChangeIsNeverPublished() {
        try (BrokerProbe probe = new BrokerProbe(environment, "execution.requested")) {
            assertThatThrownBy(() -> transactions.executeWithoutResult(tx -> {
                outbox.append(new ExecutionRequested(2001, "examples.x", Json.object()), null);
                throw new IllegalStateException("the change fails after its event was stored");
            })).isInstanceOf(IllegalStateException.class);
            transactions.executeWithoutResult(tx -> outbox.append(
                    new ExecutionRequested(2002, "examples.x", Json.object()), null));

            List<MessageEnvelope<MessagePayload>> received = probe.drain(Duration.ofSeconds(2));
            assertThat(received).extracting(m -> m.payload().executionId()).containsExactly(2002L);
        }
    }

    @Test
    void eventsCannotBeStoredOutsideATransaction() {
        assertThatThrownBy(() -> outbox.append(new ExecutionRequested(1, "examples.x", Json.object()), null))
                .isInstanceOf(IllegalStateException.class);
    }
}
