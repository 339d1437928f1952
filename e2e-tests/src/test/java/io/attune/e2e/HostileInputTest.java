package io.attune.e2e;

import io.attune.model.json.Json;
import io.attune.model.message.ConsumerQueues;
import io.attune.testsupport.BrokerProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 13: no input stops a service, and nothing is lost — on the built jars (api, two executors, notifier,
 * worker). Each hostile input gets the outcome a user wants; after each, every service is still healthy and an
 * ordinary inquiry still goes around the loop. The executors' timeout checker is slowed to once an hour so that an
 * inquiry can be past its {@code timeout_at} and not yet swept, as it would be between two sweeps.
 */
class HostileInputTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Map<String, Object> APPROVAL_SCHEMA = Map.of("type", "object",
            "properties", Map.of("approved", Map.of("type", "boolean")), "required", List.of("approved"));

    private static RunningSuite suite;
    private static String adminToken;
    private static Connection database;

    @BeforeAll
    static void start() {
        Path packs = TestPacks.create();
        suite = RunningSuite.start(Map.of("ATTUNE_PACKS_DIR", packs.toString(),
                        "ATTUNE_INQUIRY_TIMEOUT_CHECK_INTERVAL", "1h"),
                "api", "executor", "executor", "notifier", "worker");
        adminToken = suite.adminToken();
        database = suite.database();
    }

    @AfterAll
    static void stop() {
        if (suite != null) {
            suite.close(); // and its database connection
        }
    }

    /** What every test ends with: every service alive and healthy, and the loop still turning for ordinary work. */
    @AfterEach
    void everyServiceIsHealthyAndTheNextOrdinaryInquiryGoesAround() {
        for (RunningSuite.Service service : suite.services()) {
            assertThat(service.isAlive()).as("%s is alive; log:%n%s", service, service.logTail(40)).isTrue();
            assertThat(service.isHealthy()).as("%s is healthy", service).isTrue();
        }
        long executionId = requestEcho(Map.of("__inquiry", Map.of("prompt", "Approve the ordinary change?",
                "response_schema", APPROVAL_SCHEMA)));
        long inquiryId = awaitInquiry(executionId);
        assertThat(respond(inquiryId, Map.of("approved", true)).statusCode()).isEqualTo(200);
        awaitExecutionStatus(executionId, "completed");
        try (BrokerProbe probe = new BrokerProbe(suite.environment(), "nothing.to.see")) {
            assertThat(probe.depth(queue(ConsumerQueues.EXECUTOR_COMPLETED) + ".dlq")).isZero();
            assertThat(probe.depth(queue(ConsumerQueues.EXECUTOR_RESPONDED) + ".dlq")).isZero();
        }
    }

    @Test
    void issueCase1ASchemaThatRefersToItselfFailsItsExecutionAndStopsNoExecutor() {
        long executionId = requestEcho(Map.of("__inquiry", Map.of("prompt", "p",
                "response_schema", Map.of("$ref", "#"))));

        JsonNode failed = awaitExecutionStatus(executionId, "failed");
        assertThat(failed.path("result").path("error").asString())
                .startsWith("invalid __inquiry: response_schema is not a valid JSON Schema")
                .contains("without descending into the answer");
        assertThat(inquiriesOf(executionId)).isZero();
    }

    @Test
    void issueCase2RecursionThroughIfThenIsRefusedAtCreationInsteadOfA500OnAnswer() {
        long executionId = requestEcho(Map.of("__inquiry", Map.of("prompt", "p", "response_schema", Map.of(
                "type", "object", "if", Map.of("required", List.of("x")), "then", Map.of("$ref", "#")))));

        JsonNode failed = awaitExecutionStatus(executionId, "failed");
        assertThat(failed.path("result").path("inquiry_errors").get(0).path("path").asString())
                .isEqualTo("/response_schema/then");
        assertThat(inquiriesOf(executionId)).isZero();
    }

    @Test
    void aPatternThatCannotRunInLinearTimeIsRefusedWithTheReason() {
        long executionId = requestEcho(Map.of("__inquiry", Map.of("prompt", "p", "response_schema", Map.of(
                "type", "object", "properties", Map.of("name", Map.of("type", "string",
                        "pattern", "^(\\w+)\\s\\1$"))))));

        JsonNode failed = awaitExecutionStatus(executionId, "failed");
        assertThat(failed.path("result").path("error").asString()).contains("cannot run in linear time");
    }

    @Test
    void issueCase3AReportWhoseResultHoldsANulCharacterEndsItsExecution() throws SQLException {
        long executionId = requestedExecution();
        publishReport(executionId, "completed", "{\"log\": \"step 1 ok\\u0000step 2 ok\"}");

        JsonNode completed = awaitExecutionStatus(executionId, "completed");
        assertThat(completed.path("result").path("log").asString()).isEqualTo("step 1 ok\uFFFDstep 2 ok");
        assertThat(completed.path("result").path("__notes").get(0).asString()).contains("U+0000");
    }

    @Test
    void aReportWhoseResultIsTooLargeToKeepFailsItsExecutionWithTheReason() throws SQLException {
        long executionId = requestedExecution();
        publishReport(executionId, "completed", "{\"output\": \"" + "x".repeat(3 * 1024 * 1024) + "\"}");

        JsonNode failed = awaitExecutionStatus(executionId, "failed");
        assertThat(failed.path("result").path("error").asString()).contains("can be stored, so it was not kept");
    }

    @Test
    void anAnswerOver64KiBIsRefusedWith413AndTheInquiryStaysOpen() {
        long executionId = requestEcho(Map.of("__inquiry", Map.of("prompt", "Approve?",
                "response_schema", Map.of("type", "object"))));
        long inquiryId = awaitInquiry(executionId);

        HttpResponse<String> refused = respond(inquiryId, Map.of("comments", "x".repeat(70_000)));
        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(Json.tree(refused.body()).path("code").asString()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(inquiry(inquiryId).path("status").asString()).isEqualTo("pending");
        assertThat(respond(inquiryId, Map.of("comments", "fine")).statusCode()).isEqualTo(200);
        awaitExecutionStatus(executionId, "completed");
    }

    @Test
    void anInquiryPastItsTimeoutButNotYetSweptRefusesCancelAndAnswerAlike() throws SQLException {
        long executionId = requestEcho(Map.of("__inquiry", Map.of("prompt", "Approve?",
                "response_schema", APPROVAL_SCHEMA, "timeout_seconds", 1)));
        long inquiryId = awaitInquiry(executionId);
        await().atMost(Duration.ofSeconds(10)).until(() -> pastTimeout(inquiryId));

        HttpResponse<String> cancel = suite.send("POST", "/api/v1/inquiries/" + inquiryId + "/cancel", adminToken, "");
        assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(409);
        assertThat(respond(inquiryId, Map.of("approved", true)).statusCode()).isEqualTo(409);
        assertThat(inquiry(inquiryId).path("status").asString()).isEqualTo("pending");
        assertThat(execution(executionId).path("status").asString()).isEqualTo("paused");
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private static long requestEcho(Map<String, Object> parameters) {
        Map<String, Object> echoed = new java.util.LinkedHashMap<>(parameters);
        if (echoed.get("__inquiry") instanceof Map<?, ?> inquiry) {
            // the admin both starts and answers these executions: what is under test here is the input, not who
            Map<Object, Object> selfApproved = new java.util.LinkedHashMap<>(inquiry);
            selfApproved.put("allow_self_approval", true);
            echoed.put("__inquiry", selfApproved);
        }
        JsonNode created = suite.call("POST", "/api/v1/executions", adminToken,
                Json.write(Map.of("action_ref", TestPacks.ECHO, "parameters", echoed))).path("data");
        return created.path("id").asLong();
    }

    /** An execution as another worker would hold it, for reports a real action could not print. */
    private static synchronized long requestedExecution() throws SQLException {
        try (PreparedStatement insert = database.prepareStatement("INSERT INTO attune.execution (action_ref, status) "
                + "VALUES ('external.job', 'requested') RETURNING id"); ResultSet row = insert.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    /** ExecutionCompleted as a worker publishes it, raw, so that it may hold exactly what a worker may send. */
    private static void publishReport(long executionId, String status, String resultJson) {
        String envelope = """
                {"message_id": "%s", "correlation_id": "%s", "message_type": "ExecutionCompleted", "version": "1.0",
                 "timestamp": "2026-01-15T10:30:00Z", "headers": {"source_service": "worker-service"},
                 "payload": {"execution_id": %d, "action_ref": "external.job", "status": "%s", "result": %s,
                             "completed_at": "2026-01-15T10:30:00Z"}}"""
                .formatted(UUID.randomUUID(), UUID.randomUUID(), executionId, status, resultJson);
        try (BrokerProbe probe = new BrokerProbe(suite.environment(), "nothing.to.see")) {
            probe.publish("execution.completed", envelope.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static synchronized boolean pastTimeout(long inquiryId) throws SQLException {
        try (PreparedStatement query = database.prepareStatement(
                "SELECT timeout_at < clock_timestamp() FROM attune.inquiry WHERE id = ?")) {
            query.setLong(1, inquiryId);
            try (ResultSet row = query.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }

    private static long awaitInquiry(long executionId) {
        return await("the inquiry of execution " + executionId).atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> suite.call("GET", "/api/v1/inquiries?execution=" + executionId, adminToken, null)
                        .path("data"), data -> data.size() == 1).get(0).path("id").asLong();
    }

    private static long inquiriesOf(long executionId) {
        return suite.call("GET", "/api/v1/inquiries?execution=" + executionId, adminToken, null).path("total").asLong();
    }

    private static JsonNode awaitExecutionStatus(long executionId, String status) {
        return await("execution " + executionId + " " + status).atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> execution(executionId), e -> e.path("status").asString().equals(status));
    }

    private static HttpResponse<String> respond(long inquiryId, Map<String, Object> response) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("response", response);
        return suite.send("POST", "/api/v1/inquiries/" + inquiryId + "/respond", adminToken, Json.write(body));
    }

    private static JsonNode execution(long id) {
        return suite.call("GET", "/api/v1/executions/" + id, adminToken, null).path("data");
    }

    private static JsonNode inquiry(long id) {
        return suite.call("GET", "/api/v1/inquiries/" + id, adminToken, null).path("data");
    }

    private static String queue(String name) {
        return suite.environment().namespace().queuePrefix() + name;
    }
}
