package io.attune.executor;

import io.attune.core.execution.Execution;
import io.attune.core.identity.Identity;
import io.attune.core.inquiry.AuditRepository;
import io.attune.core.inquiry.Inquiry;
import io.attune.core.inquiry.InquiryTransitions;
import io.attune.model.ExecutionStatus;
import io.attune.model.InquiryStatus;
import io.attune.model.json.Json;
import io.attune.model.message.ExecutionCompleted;
import io.attune.model.message.ExecutionStatusChanged;
import io.attune.model.message.InquiryCreated;
import io.attune.model.message.InquiryResponded;
import io.attune.model.message.MessageEnvelope;
import io.attune.model.message.MessagePayload;
import io.attune.model.message.Messages;
import io.attune.testsupport.BrokerProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** docs/protocol.md §3.1 and §3.3: a worker's report opens an inquiry, an answer resumes the execution; duplicates are harmless. */
@SpringBootTest(classes = ExecutorApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class InquiryLoopTest extends ExecutorIntegrationTest {
    static final JsonNode APPROVAL_SCHEMA = Json.tree("""
            {"type": "object", "properties": {"approved": {"type": "boolean"}, "comments": {"type": "string"}},
             "required": ["approved"]}""");

    @Autowired
    InquiryTransitions inquiryTransitions;
    @Autowired
    AuditRepository audit;
    @LocalServerPort
    int port;

    static JsonNode approvalResult(long assignedTo) {
        return Json.tree("""
                {"__inquiry": {"prompt": "Approve deployment to production?", "response_schema": %s,
                               "assigned_to": %d, "timeout_seconds": 3600},
                 "deployment_plan": {"target": "production", "version": "v2.5.0"}}"""
                .formatted(APPROVAL_SCHEMA, assignedTo));
    }

    @Test
    void aReportedInquiryPausesTheExecutionAndTheAnswerResumesIt() {
        Identity approver = identity();
        Execution execution = runningExecution();
        JsonNode result = approvalResult(approver.id());
        try (BrokerProbe probe = probe("inquiry.*", "execution.status.changed")) {
            MessageEnvelope<ExecutionCompleted> report = report(execution, ExecutionStatus.COMPLETED, result);
            Instant reported = Instant.now();
            probe.publish(report);

            // 1. the inquiry is pending, the execution paused with the reported result, and both are announced
            Execution paused = awaitStatus(execution.id(), ExecutionStatus.PAUSED);
            assertThat(paused.result()).isEqualTo(result);
            List<Inquiry> opened = inquiriesOf(execution.id());
            assertThat(opened).hasSize(1);
            Inquiry inquiry = opened.get(0);
            assertThat(inquiry.status()).isEqualTo(InquiryStatus.PENDING);
            assertThat(inquiry.prompt()).isEqualTo("Approve deployment to production?");
            assertThat(inquiry.responseSchema()).isEqualTo(APPROVAL_SCHEMA);
            assertThat(inquiry.assignedTo()).isEqualTo(approver.id());
            assertThat(inquiry.timeoutAt()).isBetween(reported.plusSeconds(3599), Instant.now().plusSeconds(3601));

            List<MessageEnvelope<MessagePayload>> opening = probe.take(2, WAIT);
            assertThat(opening).allSatisfy(m -> assertThat(m.correlationId()).isEqualTo(report.correlationId()));
            assertThat(opening).extracting(MessageEnvelope::payload).containsExactly(
                    new InquiryCreated(inquiry.id(), execution.id(), inquiry.prompt(), APPROVAL_SCHEMA,
                            io.attune.model.inquiry.Assignment.ofUser(approver.id()), inquiry.timeoutAt()),
                    new ExecutionStatusChanged(execution.id(), ExecutionStatus.RUNNING, ExecutionStatus.PAUSED,
                            result));
            assertThat(opening.get(0).headers()).containsEntry("source_service", "executor-service");

            // 2. the approver answers (as the api-service does, through the core)
            JsonNode response = Json.tree("{\"approved\": true, \"comments\": \"LGTM\"}");
            UUID answerCorrelation = UUID.randomUUID();
            Inquiry answered = inquiryTransitions.respond(inquiry.id(), approver.actor(), response,
                    answerCorrelation);

            // 3. the executor resumes the execution: completed, __inquiry replaced by the answered record
            Execution resumed = awaitStatus(execution.id(), ExecutionStatus.COMPLETED);
            JsonNode outcome = resumed.result().get("__inquiry");
            assertThat(outcome.get("id").asLong()).isEqualTo(inquiry.id());
            assertThat(outcome.get("prompt").asString()).isEqualTo("Approve deployment to production?");
            assertThat(outcome.get("status").asString()).isEqualTo("responded");
            assertThat(outcome.get("response")).isEqualTo(response);
            assertThat(outcome.get("responded_by").asLong()).isEqualTo(approver.id());
            assertThat(Instant.parse(outcome.get("responded_at").asString())).isEqualTo(answered.respondedAt());
            assertThat(outcome.propertyNames()).containsExactlyInAnyOrder("id", "prompt", "status", "response",
                    "responded_by", "responded_at");
            assertThat(resumed.result().get("deployment_plan")).isEqualTo(result.get("deployment_plan"));

            List<MessageEnvelope<MessagePayload>> closing = probe.take(2, WAIT);
            assertThat(closing.get(0).payload()).isInstanceOf(InquiryResponded.class);
            assertThat(closing.get(1).payload()).isEqualTo(new ExecutionStatusChanged(execution.id(),
                    ExecutionStatus.PAUSED, ExecutionStatus.COMPLETED, resumed.result()));
            assertThat(closing.get(1).correlationId()).isEqualTo(answerCorrelation);
            assertThat(closing.get(1).headers()).containsEntry("source_service", "executor-service");
            assertThat(audit.history(inquiry.id())).extracting(e -> e.action() + "/" + e.actor())
                    .containsExactly("created/system", "responded/" + approver.login());

            // a redelivered answer changes nothing twice
            double ignoredBefore = count("attune.inquiry.responses.ignored");
            MessageEnvelope<MessagePayload> answer = closing.get(0);
            probe.publish(answer);
            await().atMost(WAIT).until(() -> count("attune.inquiry.responses.ignored") == ignoredBefore + 1);
            Execution after = executions.find(execution.id()).orElseThrow();
            assertThat(after.result()).isEqualTo(resumed.result());
            assertThat(after.updated()).isEqualTo(resumed.updated());
            // only the redelivered answer itself went by: no second ExecutionStatusChanged
            assertThat(probe.drain(Duration.ofSeconds(1))).extracting(MessageEnvelope::messageId)
                    .containsExactly(answer.messageId());
        }
    }

    @Test
    void theSameReportDeliveredThreeTimesOpensOneInquiry() {
        Execution execution = runningExecution();
        JsonNode result = approvalResult(identity().id());
        try (BrokerProbe probe = probe("inquiry.created", "execution.status.changed")) {
            double duplicatesBefore = count("attune.execution.reports.duplicate");
            byte[] report = Messages.write(report(execution, ExecutionStatus.COMPLETED, result));
            for (int i = 0; i < 3; i++) {
                probe.publish("execution.completed", report);
            }
            await().atMost(WAIT).until(() -> count("attune.execution.reports.duplicate") == duplicatesBefore + 2);

            assertThat(inquiriesOf(execution.id())).hasSize(1);
            assertThat(executions.find(execution.id()).orElseThrow().status()).isEqualTo(ExecutionStatus.PAUSED);
            List<MessageEnvelope<MessagePayload>> events = probe.drain(Duration.ofSeconds(2));
            assertThat(events).extracting(m -> m.payload().getClass().getSimpleName())
                    .containsExactly("InquiryCreated", "ExecutionStatusChanged");
            assertThat(probe.depth(queue(COMPLETED_QUEUE + ".dlq"))).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(value = ExecutionStatus.class, names = {"COMPLETED", "FAILED", "TIMEOUT"})
    void aReportWithoutInquiryStoresTheReportedStatusAndResult(ExecutionStatus status) {
        Execution execution = runningExecution();
        JsonNode result = Json.tree("{\"exit_code\": 0, \"stdout\": \"deployed v2.5.0\"}");
        try (BrokerProbe probe = probe("inquiry.created", "execution.status.changed")) {
            probe.publish(report(execution, status, result));

            Execution finished = awaitStatus(execution.id(), status);
            assertThat(finished.result()).isEqualTo(result);
            assertThat(inquiriesOf(execution.id())).isEmpty();
            assertThat(probe.take(1, WAIT)).extracting(MessageEnvelope::payload).containsExactly(
                    new ExecutionStatusChanged(execution.id(), ExecutionStatus.RUNNING, status, result));
        }
    }

    @Test
    void aFailedReportIsStoredEvenIfItsResultAsksAQuestion() {
        Execution execution = runningExecution();
        JsonNode result = approvalResult(identity().id());
        try (BrokerProbe probe = probe("inquiry.created", "execution.status.changed")) {
            probe.publish(report(execution, ExecutionStatus.FAILED, result));

            assertThat(awaitStatus(execution.id(), ExecutionStatus.FAILED).result()).isEqualTo(result);
            assertThat(inquiriesOf(execution.id())).isEmpty();
            assertThat(probe.take(1, WAIT).get(0).payload()).isInstanceOf(ExecutionStatusChanged.class);
        }
    }

    @ParameterizedTest
    @EnumSource(value = ExecutionStatus.class, names = {"CANCELLED", "TIMEOUT"})
    void aLateAnswerLeavesAnExecutionThatNoLongerWaitsAlone(ExecutionStatus endedAs) {
        Identity approver = identity();
        Execution execution = runningExecution();
        try (BrokerProbe probe = probe("execution.status.changed")) {
            probe.publish(report(execution, ExecutionStatus.COMPLETED, approvalResult(approver.id())));
            awaitStatus(execution.id(), ExecutionStatus.PAUSED);
            probe.take(1, WAIT);
            Inquiry inquiry = inquiriesOf(execution.id()).get(0);
            // the execution ended some other way while the answer was on its way
            jdbc.sql("UPDATE attune.execution SET status = ?::attune.execution_status_enum WHERE id = ?")
                    .params(endedAs.wire(), execution.id()).update();
            Execution ended = executions.find(execution.id()).orElseThrow();

            double ignoredBefore = count("attune.inquiry.responses.ignored");
            inquiryTransitions.respond(inquiry.id(), approver.actor(), Json.tree("{\"approved\": false}"), null);
            await().atMost(WAIT).until(() -> count("attune.inquiry.responses.ignored") == ignoredBefore + 1);

            assertThat(executions.find(execution.id()).orElseThrow()).isEqualTo(ended);
            assertThat(probe.drain(Duration.ofSeconds(1))).isEmpty();
            assertThat(probe.depth(queue(RESPONDED_QUEUE + ".dlq"))).isZero();
        }
    }

    @Test
    void healthAndMetricsAreServed() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> status = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(Json.tree(status.body()).propertyNames()).as("no token: the status alone").containsExactly("status");
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                .header("Authorization", "Bearer " + token(identity())).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).as("a user who is not admin").isEqualTo(403);

        String admin = "Bearer " + token(identities.create("admin-" + UUID.randomUUID().toString().substring(0, 8),
                "Admin", "not-a-real-hash", java.util.EnumSet.of(io.attune.core.identity.Role.ADMIN)));
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/actuator/health")).header("Authorization", admin).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(Json.tree(health.body()).path("components").path("rabbit").path("status").asString())
                .isEqualTo("UP");
        assertThat(Json.tree(health.body()).path("components").path("db").path("status").asString())
                .isEqualTo("UP");
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).header("Authorization", admin).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("attune_inquiries_opened_total", "attune_inquiry_requests_invalid_total",
                "attune_executions_resumed_total", "attune_inquiries_timed_out_total",
                "attune_inquiry_timeout_sweep_seconds");
    }

    /** A token as api-service issues them, signed with the secret the test environment gives every service. */
    private static String token(Identity identity) {
        byte[] secret = io.attune.testsupport.AttuneTestEnvironment.JWT_SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new io.attune.core.security.Tokens(new org.springframework.security.oauth2.jwt.NimbusJwtEncoder(
                new com.nimbusds.jose.jwk.source.ImmutableSecret<>(new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA256"))),
                new io.attune.core.security.TokenSettings(io.attune.testsupport.AttuneTestEnvironment.JWT_SECRET,
                        Duration.ofMinutes(5))).issue(identity).token();
    }
}
