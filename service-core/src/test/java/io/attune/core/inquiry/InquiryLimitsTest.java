package io.attune.core.inquiry;

import io.attune.core.CoreIntegrationTest;
import io.attune.core.event.Outbox;
import io.attune.core.execution.Execution;
import io.attune.core.identity.Identity;
import io.attune.core.identity.Role;
import io.attune.model.ExecutionStatus;
import io.attune.model.InquiryStatus;
import io.attune.model.inquiry.InquiryRequest;
import io.attune.model.json.Json;
import io.attune.model.message.InquiryResponded;
import io.attune.model.rest.ErrorCode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;

import static io.attune.core.inquiry.InquiryTransitionsTest.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The limits of an answer, and one clock for every timeout decision: an answer or a cancellation is refused once
 * {@code timeout_at} has passed at the moment of the update itself, even inside a transaction that began before.
 */
class InquiryLimitsTest extends CoreIntegrationTest {
    static final JsonNode OPEN_SCHEMA = Json.tree("{\"type\": \"object\"}");

    @Autowired
    InquiryTransitions transitions;
    @Autowired
    InquiryRepository inquiries;
    @Autowired
    AuditRepository audit;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    Outbox outbox;

    Inquiry open(JsonNode schema, Long timeoutSeconds) {
        Execution execution = runningExecution();
        return transactions.execute(tx -> transitions.open(executions.lock(execution.id()).orElseThrow(),
                new InquiryRequest("Approve?", schema, null, timeoutSeconds), Json.tree("{\"__inquiry\": {}}"),
                null));
    }

    @Test
    void anAnswerOver64KiBIsRefusedWith413AndChangesNothing() {
        Identity ada = identity(Role.USER);
        Inquiry inquiry = open(OPEN_SCHEMA, 3600L);
        ObjectNode tooLarge = Json.object().put("comments", "x".repeat(InquiryLimits.ANSWER_MAX_BYTES));
        ObjectNode justFits = Json.object().put("comments",
                "x".repeat(InquiryLimits.ANSWER_MAX_BYTES - "{\"comments\":\"\"}".length()));

        assertRefused(() -> transitions.respond(inquiry.id(), ada.actor(), tooLarge, null),
                ErrorCode.PAYLOAD_TOO_LARGE);
        assertThat(inquiries.find(inquiry.id()).orElseThrow().status()).isEqualTo(InquiryStatus.PENDING);
        assertThat(audit.history(inquiry.id())).extracting(e -> e.action()).containsExactly("created");

        transitions.respond(inquiry.id(), ada.actor(), justFits, null);
        assertThat(inquiries.find(inquiry.id()).orElseThrow().response()).isEqualTo(justFits);
    }

    @Test
    void anAnswerHoldingANulCharacterIsRefusedWith400() {
        Identity ada = identity(Role.USER);
        Inquiry inquiry = open(OPEN_SCHEMA, 3600L);

        assertRefused(() -> transitions.respond(inquiry.id(), ada.actor(), Json.tree("{\"comments\": \"a\\u0000b\"}"),
                null), ErrorCode.BAD_REQUEST);
        assertThat(inquiries.find(inquiry.id()).orElseThrow().status()).isEqualTo(InquiryStatus.PENDING);
    }

    @Test
    void aStoredSchemaThatRecursesForEverGetsA422NotACrash() {
        // stored before schemas were checked for safety: the answer that would recurse for ever is refused
        Identity ada = identity(Role.USER);
        Inquiry inquiry = open(OPEN_SCHEMA, 3600L);
        jdbc.sql("UPDATE attune.inquiry SET response_schema = ?::jsonb WHERE id = ?")
                .params("{\"type\": \"object\", \"if\": {\"required\": [\"x\"]}, \"then\": {\"$ref\": \"#\"}}",
                        inquiry.id())
                .update();

        assertRefused(() -> transitions.respond(inquiry.id(), ada.actor(), Json.tree("{\"x\": 1}"), null),
                ErrorCode.VALIDATION_ERROR);
        transitions.respond(inquiry.id(), ada.actor(), Json.tree("{\"y\": 1}"), null);
        assertThat(inquiries.find(inquiry.id()).orElseThrow().status()).isEqualTo(InquiryStatus.RESPONDED);
    }

    @Test
    void aCancellationPastTheTimeoutIsRefusedWith409EvenBeforeTheCheckerRuns() {
        Identity admin = identity(Role.ADMIN);
        Inquiry inquiry = open(OPEN_SCHEMA, 3600L);
        jdbc.sql("UPDATE attune.inquiry SET timeout_at = now() - interval '1 second' WHERE id = ?")
                .param(inquiry.id()).update();

        assertRefused(() -> transitions.cancel(inquiry.id(), admin.actor(), null), ErrorCode.CONFLICT);
        assertThat(inquiries.find(inquiry.id()).orElseThrow().status()).isEqualTo(InquiryStatus.PENDING);
        assertThat(executions.find(inquiry.execution()).orElseThrow().status()).isEqualTo(ExecutionStatus.PAUSED);
        assertThat(audit.history(inquiry.id())).extracting(e -> e.action()).containsExactly("created");
    }

    @Test
    void theLateAnswerCheckUsesTheTimeOfTheUpdateNotOfTheTransactionStart() {
        Identity ada = identity(Role.USER);
        Inquiry inquiry = open(OPEN_SCHEMA, 3600L);
        Instant timeoutAt = jdbc.sql("UPDATE attune.inquiry SET timeout_at = clock_timestamp() + interval '1 second' "
                + "WHERE id = ? RETURNING timeout_at").param(inquiry.id()).query(java.time.OffsetDateTime.class)
                .single().toInstant();

        boolean answered = Boolean.TRUE.equals(transactions.execute(tx -> {
            // the transaction begins (now() is fixed) before the timeout; the update runs after it
            jdbc.sql("SELECT now()").query(Object.class).single();
            sleepUntil(timeoutAt.plusMillis(200));
            Outbox.Row event = outbox.row(new InquiryResponded(inquiry.id(), inquiry.execution(), Json.tree("{}"),
                    ada.id(), Instant.EPOCH), null);
            return inquiries.markRespondedAnnounced(inquiry.id(), Json.tree("{}"), ada.id(), event).isPresent();
        }));

        assertThat(answered).isFalse();
        assertThat(inquiries.find(inquiry.id()).orElseThrow().status()).isEqualTo(InquiryStatus.PENDING);
    }

    @Test
    void theCancellationCheckUsesTheTimeOfTheUpdateToo() {
        Inquiry inquiry = open(OPEN_SCHEMA, 3600L);
        Instant timeoutAt = jdbc.sql("UPDATE attune.inquiry SET timeout_at = clock_timestamp() + interval '1 second' "
                + "WHERE id = ? RETURNING timeout_at").param(inquiry.id()).query(java.time.OffsetDateTime.class)
                .single().toInstant();

        boolean cancelled = Boolean.TRUE.equals(transactions.execute(tx -> {
            jdbc.sql("SELECT now()").query(Object.class).single();
            sleepUntil(timeoutAt.plusMillis(200));
            return inquiries.markCancelled(inquiry.id()).isPresent();
        }));

        assertThat(cancelled).isFalse();
    }

    static void sleepUntil(Instant moment) {
        try {
            long millis = java.time.Duration.between(Instant.now(), moment).toMillis();
            if (millis > 0) {
                Thread.sleep(millis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
