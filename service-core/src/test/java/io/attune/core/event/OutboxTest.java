package io.attune.core.event;

import io.attune.core.CoreIntegrationTest;
import io.attune.model.json.Json;
import io.attune.model.message.ExecutionRequested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A transaction's events are stored when it commits, all of them and in the order they were raised, or not at all.
 */
class OutboxTest extends CoreIntegrationTest {
    @Autowired
    Outbox outbox;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    PlatformTransactionManager transactionManager;

    @Test
    void aTransactionsEventsAreStoredInTheOrderTheyWereRaised() {
        List<UUID> raised = new ArrayList<>();
        transactions.executeWithoutResult(tx -> {
            for (int i = 0; i < 6; i++) {
                raised.add(outbox.append(requested(100 + i), null).messageId());
            }
        });

        assertThat(storedInOrder(raised)).containsExactlyElementsOf(raised);
    }

    @Test
    void aTransactionThatRollsBackStoresNoneOfItsEvents() {
        List<UUID> raised = new ArrayList<>();
        assertThatThrownBy(() -> transactions.executeWithoutResult(tx -> {
            raised.add(outbox.append(requested(200), null).messageId());
            raised.add(outbox.append(requested(201), null).messageId());
            throw new IllegalStateException("the change failed after its events were raised");
        })).hasMessageContaining("the change failed");

        assertThat(storedInOrder(raised)).isEmpty();
    }

    /** The deciding answer stores its event in its own statement: the events raised before it still come first. */
    @Test
    void anEventStoredByTheCallersOwnStatementComesAfterThoseRaisedBeforeIt() {
        List<UUID> raised = new ArrayList<>();
        transactions.executeWithoutResult(tx -> {
            raised.add(outbox.append(requested(300), null).messageId());
            Outbox.Row row = outbox.row(requested(301), null);
            jdbc.sql("INSERT INTO " + Outbox.COLUMNS + " VALUES (?, ?, ?, 301, NULL, ?::jsonb)")
                    .params(row.messageId(), row.messageType(), row.routingKey(), row.envelope()).update();
            raised.add(row.messageId());
            raised.add(outbox.append(requested(302), null).messageId());
        });

        assertThat(storedInOrder(raised)).containsExactlyElementsOf(raised);
    }

    @Test
    void aNestedTransactionStoresItsOwnEventsAndNotThoseOfTheOneAroundIt() {
        TransactionTemplate nested = new TransactionTemplate(transactionManager);
        nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        UUID[] outer = new UUID[1];
        UUID[] inner = new UUID[1];
        assertThatThrownBy(() -> transactions.executeWithoutResult(tx -> {
            outer[0] = outbox.append(requested(400), null).messageId();
            nested.executeWithoutResult(t -> inner[0] = outbox.append(requested(401), null).messageId());
            throw new IllegalStateException("the outer change failed");
        })).hasMessageContaining("the outer change failed");

        assertThat(storedInOrder(List.of(outer[0], inner[0]))).containsExactly(inner[0]);
    }

    @Test
    void anEventOutsideATransactionIsRefused() {
        assertThatThrownBy(() -> outbox.append(requested(500), null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("in the transaction of the change they announce");
    }

    private static ExecutionRequested requested(long execution) {
        return new ExecutionRequested(execution, "examples.x", Json.object());
    }

    /** Which of {@code messageIds} are stored, in the order they were stored. */
    private List<UUID> storedInOrder(List<UUID> messageIds) {
        return jdbc.sql("SELECT message_id FROM attune.event WHERE message_id = ANY(?) ORDER BY outbox_id")
                .param(messageIds.toArray(UUID[]::new)).query(UUID.class).list();
    }
}
