package io.attune.core.inquiry;

import io.attune.core.CoreIntegrationTest;
import io.attune.core.error.DomainException;
import io.attune.core.execution.Execution;
import io.attune.core.identity.Identity;
import io.attune.core.identity.Role;
import io.attune.model.ExecutionStatus;
import io.attune.model.InquiryStatus;
import io.attune.model.inquiry.InquiryRequest;
import io.attune.model.json.Json;
import io.attune.model.message.ExecutionStatusChanged;
import io.attune.model.message.InquiryCreated;
import io.attune.model.message.InquiryResponded;
import io.attune.model.message.MessageEnvelope;
import io.attune.model.message.MessagePayload;
import io.attune.model.rest.ErrorCode;
import io.attune.testsupport.BrokerProbe;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InquiryTransitionsTest extends CoreIntegrationTest {
    static final JsonNode APPROVAL_SCHEMA = Json.tree("""
            {"type": "object", "properties": {"approved": {"type": "boolean"}, "comments": {"type": "string"}},
             "required": ["approved"]}""");

    @Autowired
    InquiryTransitions transitions;
    @Autowired
    ExecutionResumption resumption;
    @Autowired
    AuditRepository audit;
    @Autowired
    InquiryRepository inquiries;
    @Autowired
    TransactionTemplate transactions;

    Inquiry open(Long assignedTo, Long timeoutSeconds) {
        Execution execution = runningExecution();
        JsonNode result = Json.tree("{\"deployment_plan\": {\"version\": \"v2.5.0\"}, \"__inquiry\": {}}");
        return transactions.execute(tx -> transitions.open(executions.lock(execution.id()).orElseThrow(),
                new InquiryRequest("Approve deployment?", APPROVAL_SCHEMA, assignedTo, timeoutSeconds), result, null));
    }

    @Test
    void openingPausesTheExecutionAndAnnouncesBoth() {
        try (BrokerProbe probe = new BrokerProbe(environment, "inquiry.created", "execution.status.changed")) {
            Inquiry inquiry = open(null, 3600L);
            assertThat(inquiry.status()).isEqualTo(InquiryStatus.PENDING);
            assertThat(inquiry.timeoutAt()).isAfter(inquiry.created().plusSeconds(3599));
            Execution execution = executions.find(inquiry.execution()).orElseThrow();
            assertThat(execution.status()).isEqualTo(ExecutionStatus.PAUSED);
            assertThat(execution.result().get("deployment_plan").get("version").asString()).isEqualTo("v2.5.0");

            List<MessageEnvelope<MessagePayload>> events = probe.take(2, Duration.ofSeconds(10));
            assertThat(events).extracting(MessageEnvelope::payload).hasAtLeastOneElementOfType(InquiryCreated.class)
                    .hasAtLeastOneElementOfType(ExecutionStatusChanged.class);
            assertThat(audit.history(inquiry.id())).extracting(e -> e.action() + "/" + e.actor())
                    .containsExactly("created/system");
        }
    }

    @Test
    void anAnswerIsStoredAuditedAndAnnounced() {
        Identity ada = identity(Role.USER);
        Inquiry inquiry = open(ada.id(), 3600L);
        try (BrokerProbe probe = new BrokerProbe(environment, "inquiry.responded")) {
            Inquiry responded = transitions.respond(inquiry.id(), ada.actor(),
                    Json.tree("{\"approved\": true, \"comments\": \"LGTM\"}"), null);
            assertThat(responded.status()).isEqualTo(InquiryStatus.RESPONDED);
            assertThat(responded.respondedBy()).isEqualTo(ada.id());
            assertThat(responded.respondedAt()).isNotNull();

            InquiryResponded event = (InquiryResponded) probe.take(1, Duration.ofSeconds(10)).get(0).payload();
            assertThat(event.respondedBy()).isEqualTo(ada.id());
            assertThat(event.inquiryId()).isEqualTo(inquiry.id());
            assertThat(event.executionId()).isEqualTo(inquiry.execution());
            // the event is stored by the update's own statement, with the update's moment
            assertThat(event.respondedAt()).isEqualTo(responded.respondedAt());
            assertThat(event.response().get("approved").asBoolean()).isTrue();
            assertThat(audit.history(inquiry.id())).extracting(e -> e.action() + "/" + e.actor())
                    .containsExactly("created/system", "responded/" + ada.login());
        }
    }

    @Test
    void answersAreRefusedWithTheContractCodes() {
        Identity ada = identity(Role.USER);
        Identity bob = identity(Role.USER);
        Identity admin = identity(Role.ADMIN);
        Inquiry forAda = open(ada.id(), 3600L);

        assertRefused(() -> transitions.respond(forAda.id(), bob.actor(), Json.tree("{\"approved\":true}"), null),
                ErrorCode.NOT_FOUND);
        assertRefused(() -> transitions.respond(forAda.id(), admin.actor(), Json.tree("{\"approved\":true}"), null),
                ErrorCode.FORBIDDEN);
        assertRefused(() -> transitions.respond(forAda.id(), ada.actor(), null, null), ErrorCode.BAD_REQUEST);
        assertThatThrownBy(() -> transitions.respond(forAda.id(), ada.actor(), Json.tree("{\"approved\":\"yes\"}"), null))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                    assertThat(e.details()).extracting(d -> d.path()).containsExactly("/approved");
                });
        assertThatThrownBy(() -> transitions.respond(forAda.id(), ada.actor(), Json.tree("{\"comments\":\"hm\"}"), null))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.details()).extracting(d -> d.path()).containsExactly("/approved"));
        assertRefused(() -> transitions.respond(987654321L, ada.actor(), Json.tree("{}"), null), ErrorCode.NOT_FOUND);

        transitions.respond(forAda.id(), ada.actor(), Json.tree("{\"approved\":false}"), null);
        assertRefused(() -> transitions.respond(forAda.id(), ada.actor(), Json.tree("{\"approved\":true}"), null),
                ErrorCode.CONFLICT);
        assertThat(inquiries.find(forAda.id()).orElseThrow().response().get("approved").asBoolean()).isFalse();
    }

    @Test
    void theRequesterMayAnswerOnlyWhenTheInquiryAllowsIt() {
        Identity requester = identity(Role.ADMIN);
        Identity colleague = identity(Role.USER);
        Inquiry refused = openRequestedBy(requester, false);
        Inquiry allowed = openRequestedBy(requester, true);

        assertRefused(() -> transitions.respond(refused.id(), requester.actor(), Json.tree("{\"approved\":true}"),
                null), ErrorCode.SELF_APPROVAL);
        assertThat(inquiries.find(refused.id()).orElseThrow().status()).isEqualTo(InquiryStatus.PENDING);
        assertThat(transitions.respond(refused.id(), colleague.actor(), Json.tree("{\"approved\":true}"), null)
                .respondedBy()).isEqualTo(colleague.id());
        assertThat(transitions.respond(allowed.id(), requester.actor(), Json.tree("{\"approved\":true}"), null)
                .respondedBy()).isEqualTo(requester.id());
        assertThat(audit.history(allowed.id()).get(0).details().get("allow_self_approval").asBoolean()).isTrue();
    }

    Inquiry openRequestedBy(Identity requester, boolean allowSelfApproval) {
        Execution execution = executions.insert("examples.deploy_approval", Json.object(), requester.id());
        jdbc.sql("UPDATE attune.execution SET status = 'running' WHERE id = ?").param(execution.id()).update();
        return transactions.execute(tx -> transitions.open(executions.lock(execution.id()).orElseThrow(),
                new InquiryRequest("Deploy?", APPROVAL_SCHEMA, null, 3600L, allowSelfApproval),
                Json.tree("{\"__inquiry\": {}}"), null));
    }

    @Test
    void anAnswerAfterTheTimeoutIsRefusedEvenBeforeTheCheckerRuns() {
        Identity ada = identity(Role.USER);
        Inquiry inquiry = open(null, 3600L);
        jdbc.sql("UPDATE attune.inquiry SET timeout_at = now() - interval '1 second' WHERE id = ?")
                .param(inquiry.id()).update();
        assertRefused(() -> transitions.respond(inquiry.id(), ada.actor(), Json.tree("{\"approved\":true}"), null),
                ErrorCode.CONFLICT);
        assertThat(inquiries.find(inquiry.id()).orElseThrow().status()).isEqualTo(InquiryStatus.PENDING);
    }

    @Test
    void ofFiftyConcurrentAnswersExactlyOneWins() throws Exception {
        Inquiry inquiry = open(null, 3600L);
        List<Identity> people = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            people.add(identity(Role.USER));
        }
        assertThat(AnswersAtOnce.winners(transitions, inquiry.id(), people, Json.tree("{\"approved\":true}"))).isEqualTo(1);
        assertThat(audit.history(inquiry.id())).filteredOn(e -> e.action().equals("responded")).hasSize(1);
        // the losers' statements stored no event either
        assertThat(jdbc.sql("SELECT count(*) FROM attune.event WHERE message_type = 'InquiryResponded' "
                + "AND inquiry_id = ?").param(inquiry.id()).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void theEventsMomentIsWrittenAsTheWireWritesAnInstant() {
        // the deciding statement writes responded_at into the event itself: it must read as Java writes it
        for (String moment : List.of("2026-01-15T10:30:00.378190Z", "2026-01-15T10:30:00.378Z",
                "2026-01-15T10:30:00Z", "2026-01-15T10:30:00.000001Z", "2026-01-15T10:30:00.100Z")) {
            String written = jdbc.sql("SELECT " + InquiryRepository.wireInstant("?::timestamptz"))
                    .param(moment).query(String.class).single();
            assertThat(written).isEqualTo(java.time.Instant.parse(moment).toString()).isEqualTo(moment);
        }
    }

    @Test
    void cancellingNeedsAnAdminAndEndsTheExecution() {
        Identity admin = identity(Role.ADMIN);
        Identity ada = identity(Role.USER);
        Inquiry inquiry = open(null, 3600L);
        assertRefused(() -> transitions.cancel(inquiry.id(), ada.actor(), null), ErrorCode.FORBIDDEN);

        Inquiry cancelled = transitions.cancel(inquiry.id(), admin.actor(), null);
        assertThat(cancelled.status()).isEqualTo(InquiryStatus.CANCELLED);
        Execution execution = executions.find(inquiry.execution()).orElseThrow();
        assertThat(execution.status()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(execution.result().get("__inquiry").get("status").asString()).isEqualTo("cancelled");
        assertThat(execution.result().get("deployment_plan")).isNotNull();
        assertRefused(() -> transitions.cancel(inquiry.id(), admin.actor(), null), ErrorCode.CONFLICT);
    }

    @Test
    void anAnsweredInquiryResumesItsExecutionOnce() {
        Identity ada = identity(Role.USER);
        Inquiry inquiry = open(ada.id(), null);
        Inquiry responded = transitions.respond(inquiry.id(), ada.actor(), Json.tree("{\"approved\":true}"), null);
        InquiryResponded event = new InquiryResponded(responded.id(), responded.execution(), responded.response(),
                responded.respondedBy(), responded.respondedAt());

        Execution resumed = resumption.resume(event, null).orElseThrow();
        assertThat(resumed.status()).isEqualTo(ExecutionStatus.COMPLETED);
        JsonNode record = resumed.result().get("__inquiry");
        assertThat(record.get("id").asLong()).isEqualTo(inquiry.id());
        assertThat(record.get("status").asString()).isEqualTo("responded");
        assertThat(record.get("response").get("approved").asBoolean()).isTrue();
        assertThat(record.get("responded_by").asLong()).isEqualTo(ada.id());
        assertThat(record.has("responded_at")).isTrue();
        assertThat(record.get("prompt").asString()).isEqualTo("Approve deployment?");

        assertThat(resumption.resume(event, null)).isEmpty();
    }

    @Test
    void twoCheckersTimeOutEveryExpiredInquiryExactlyOnce() throws Exception {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            ids.add(open(null, 3600L).id());
        }
        jdbc.sql("UPDATE attune.inquiry SET timeout_at = now() - interval '1 second' WHERE id = ANY(?)")
                .param(ids.toArray(Long[]::new)).update();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Callable<Integer> checker = () -> {
            int total = 0;
            int n;
            while ((n = transitions.timeOutExpired(7, null)) > 0) {
                total += n;
            }
            return total;
        };
        Future<Integer> first = pool.submit(checker);
        Future<Integer> second = pool.submit(checker);
        int timedOut = first.get() + second.get();
        pool.shutdown();

        assertThat(timedOut).isGreaterThanOrEqualTo(60);
        for (Long id : ids) {
            Inquiry inquiry = inquiries.find(id).orElseThrow();
            assertThat(inquiry.status()).isEqualTo(InquiryStatus.TIMEOUT);
            assertThat(executions.find(inquiry.execution()).orElseThrow().status()).isEqualTo(ExecutionStatus.TIMEOUT);
            assertThat(audit.history(id)).filteredOn(e -> e.action().equals("timeout")).hasSize(1);
        }
        assertThat(jdbc.sql("SELECT count(*) FROM attune.event WHERE message_type = 'InquiryTimedOut' "
                + "AND inquiry_id = ANY(?)").param(ids.toArray(Long[]::new)).query(Long.class).single()).isEqualTo(60L);
    }

    static void assertRefused(Runnable call, ErrorCode code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(DomainException.class,
                e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(code));
    }
}
