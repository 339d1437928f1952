package io.attune.e2e;

import io.attune.model.ExecutionStatus;
import io.attune.model.json.Json;
import io.attune.model.message.ExecutionCompleted;
import io.attune.model.message.ExecutionStatusChanged;
import io.attune.model.message.InquiryCancelled;
import io.attune.model.message.InquiryCreated;
import io.attune.model.message.InquiryResponded;
import io.attune.model.message.InquiryTimedOut;
import io.attune.model.message.MessageEnvelope;
import io.attune.model.ws.SubscriptionFilters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 7: the real topology — api, two executors, two notifiers and a worker, each a built jar in its own JVM,
 * configured only by the docs/protocol.md §6 environment — driven over HTTP, WebSocket and AMQP as its users and peers
 * would drive it. The last test kills an executor with SIGKILL while 200 answers are being processed.
 *
 * <p>The worker runs the bundled examples and {@code e2e.echo} (see {@link TestPacks}), whose result is its
 * parameters: so the timeout and the cancellation inquiries, and the 200, travel the real way too
 * (POST → ExecutionRequested → worker → ExecutionCompleted → executor), with an {@code __inquiry} the test chose.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TopologyTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final HttpClient METRICS = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Map<String, Object> APPROVAL_SCHEMA = Map.of("type", "object",
            "properties", Map.of("approved", Map.of("type", "boolean"), "comments", Map.of("type", "string")),
            "required", List.of("approved"));

    private static RunningSuite suite;
    private static String metricsToken;
    private static String adminToken;
    private static long adminId;
    private static long approverId;
    private static String approverToken;
    private static String requesterToken;
    private static String outsiderToken;
    /** The test's own reads of the database, on one connection held throughout (the server's slots are shared). */
    private static Connection database;

    @BeforeAll
    static void start() {
        Path packs = TestPacks.create();
        suite = RunningSuite.start(Map.of("ATTUNE_PACKS_DIR", packs.toString()),
                "api", "executor", "executor", "notifier", "notifier", "worker");
        JsonNode admin = suite.call("POST", "/auth/login", null,
                Json.write(Map.of("login", "admin", "password", RunningSuite.ADMIN_PASSWORD))).path("data");
        adminToken = admin.path("access_token").asString();
        adminId = admin.path("user").path("id").asLong();
        approverId = suite.createIdentity("ada", "ada-password");
        approverToken = suite.login("ada", "ada-password");
        // who approves deployments is the pack's setting, not a parameter the requester chooses
        TestPacks.exampleSettings(packs, "{\"deploy_approver_id\": " + approverId + "}");
        suite.createIdentity("release-manager", "release-password");
        requesterToken = suite.login("release-manager", "release-password");
        suite.createIdentity("outsider", "outsider-password");
        outsiderToken = suite.login("outsider", "outsider-password");
        database = suite.database();
    }

    @AfterAll
    static void stop() {
        if (suite != null) {
            suite.close(); // and its database connection
        }
    }

    @Test
    @Order(1)
    void aDeploymentApprovalGoesAroundTheLoopAndEveryNotifierTellsTheApprover() {
        try (PublishedMessages broker = new PublishedMessages(suite.environment(), "inquiry.*", "execution.status.changed",
                "execution.completed");
             NotificationClient onFirst = approverOn(1);
             NotificationClient onSecond = approverOn(2);
             NotificationClient outsider = NotificationClient.subscribe("outsider", suite.notifierUrl(1),
                     outsiderToken, new SubscriptionFilters("inquiry", null, null, null, null))) {

            long executionId = requestExecution("examples.deploy_approval", Map.of("service", "billing",
                    "version", "v3.1.0", "changes", List.of("Add invoice export")));

            // AMQP: the executor opened the inquiry the worker's report asked for.
            MessageEnvelope<InquiryCreated> created = broker.awaitMessage(InquiryCreated.class,
                    c -> c.executionId() == executionId, PATIENCE);
            long inquiryId = created.payload().inquiryId();
            assertThat(created.payload().prompt()).isEqualTo("Approve deployment of billing v3.1.0 to production?");
            assertThat(created.payload().assignedTo().singleUser()).isEqualTo(approverId);
            long createdEventId = Long.parseLong(created.headers().get(MessageEnvelope.EVENT_ID));

            // WebSocket: both replicas tell the approver, with the same id — the stored event's.
            for (NotificationClient client : List.of(onFirst, onSecond)) {
                JsonNode notification = client.awaitNotification(inquiryId, "created", PATIENCE);
                assertNotification(notification, inquiryId, "created", executionId, "pending");
                assertThat(notification.path("id").asLong()).isEqualTo(createdEventId);
                assertThat(notification.path("content").path("prompt").asString())
                        .isEqualTo("Approve deployment of billing v3.1.0 to production?");
                assertThat(Instant.parse(notification.path("content").path("timeout_at").asString()))
                        .isEqualTo(created.payload().timeoutAt());
            }

            // AMQP, driven: the worker's report delivered once more (same message) changes nothing.
            MessageEnvelope<ExecutionCompleted> report = broker.awaitMessage(ExecutionCompleted.class,
                    c -> c.executionId() == executionId, PATIENCE);
            double duplicateReports = sumOverExecutors("attune_execution_reports_duplicate_total");
            broker.probe().publish(report);
            await("the executors see the repeated report").atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                    .until(() -> sumOverExecutors("attune_execution_reports_duplicate_total") > duplicateReports);
            assertThat(suite.call("GET", "/api/v1/inquiries?execution=" + executionId, adminToken, null)
                    .path("total").asInt()).isEqualTo(1);

            // HTTP: the approver finds it pending, with the plan to decide on, and answers.
            JsonNode pending = suite.call("GET", "/api/v1/inquiries?status=pending&assigned_to=" + approverId,
                    approverToken, null);
            assertThat(pending.path("data").findValues("id")).extracting(JsonNode::asLong).contains(inquiryId);
            JsonNode paused = execution(executionId);
            assertThat(paused.path("status").asString()).isEqualTo("paused");
            JsonNode plan = paused.path("result").path("deployment_plan");
            assertThat(plan.path("service").asString()).isEqualTo("billing");

            Map<String, Object> answer = Map.of("approved", true, "comments", "LGTM - all tests passed");
            JsonNode responded = suite.call("POST", "/api/v1/inquiries/" + inquiryId + "/respond", approverToken,
                    Json.write(Map.of("response", answer)));
            assertThat(responded.path("message").asString()).isEqualTo("Response submitted successfully");
            assertThat(responded.path("data").path("status").asString()).isEqualTo("responded");

            // AMQP: the answer went out, and the executor resumed the execution.
            InquiryResponded respondedEvent = broker.awaitMessage(InquiryResponded.class,
                    r -> r.inquiryId() == inquiryId, PATIENCE).payload();
            assertThat(respondedEvent.respondedBy()).isEqualTo(approverId);
            assertThat(respondedEvent.response()).isEqualTo(Json.mapper().valueToTree(answer));
            broker.awaitMessage(ExecutionStatusChanged.class, s -> s.executionId() == executionId
                    && s.status() == ExecutionStatus.COMPLETED, PATIENCE);

            // HTTP: completed, the answer in place of the request, the plan still there.
            JsonNode completed = execution(executionId);
            assertThat(completed.path("status").asString()).isEqualTo("completed");
            JsonNode outcome = completed.path("result").path("__inquiry");
            assertThat(outcome.propertyNames()).containsExactlyInAnyOrder(
                    "id", "prompt", "status", "response", "responded_by", "responded_at");
            assertThat(outcome.path("id").asLong()).isEqualTo(inquiryId);
            assertThat(outcome.path("prompt").asString()).isEqualTo("Approve deployment of billing v3.1.0 to production?");
            assertThat(outcome.path("status").asString()).isEqualTo("responded");
            assertThat(outcome.path("response")).isEqualTo(Json.mapper().valueToTree(answer));
            assertThat(outcome.path("responded_by").asLong()).isEqualTo(approverId);
            assertThat(Instant.parse(outcome.path("responded_at").asString())).isEqualTo(respondedEvent.respondedAt());
            assertThat(completed.path("result").path("deployment_plan")).isEqualTo(plan);

            // AMQP, driven: the answer delivered once more resumes nothing a second time.
            double ignoredAnswers = sumOverExecutors("attune_inquiry_responses_ignored_total");
            broker.probe().publish(broker.awaitMessage(InquiryResponded.class, r -> r.inquiryId() == inquiryId,
                    PATIENCE));
            await("the executors see the repeated answer").atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                    .until(() -> sumOverExecutors("attune_inquiry_responses_ignored_total") > ignoredAnswers);
            assertThat(execution(executionId)).isEqualTo(completed);

            // WebSocket: both replicas tell who answered (never what: the answer may hold secrets).
            for (NotificationClient client : List.of(onFirst, onSecond)) {
                JsonNode notification = client.awaitNotification(inquiryId, "responded", PATIENCE);
                assertNotification(notification, inquiryId, "responded", executionId, "responded");
                assertThat(notification.path("content").path("responded_by").asLong()).isEqualTo(approverId);
                assertThat(notification.path("id").asLong()).isGreaterThan(createdEventId);
            }
            // One notification per event, though the answer went over the broker twice (same event id).
            assertThat(onFirst.notifications()).isEqualTo(onSecond.notifications())
                    .extracting(n -> n.path("activity").asString()).containsExactly("created", "responded");
            // Someone else's inquiry is not told to a user who may not see it.
            assertThat(outsider.notifications()).noneMatch(n -> n.path("entity").asString().equals("" + inquiryId));

            // A client that was away reconnects to the other replica with "since" and gets what it missed, in order,
            // under the same ids: they come from the stored trail, not from one notifier's memory.
            try (NotificationClient returning = NotificationClient.subscribe("ada-returning", suite.notifierUrl(2),
                    approverToken, new SubscriptionFilters("inquiry", Long.toString(inquiryId), null, null, null),
                    createdEventId - 1)) {
                returning.awaitNotification(inquiryId, "responded", PATIENCE);
                assertThat(returning.notifications()).isEqualTo(onFirst.notifications());
            }

            // Every change of the execution was announced once, in order, duplicates notwithstanding.
            assertThat(broker.payloads(ExecutionStatusChanged.class, s -> s.executionId() == executionId))
                    .extracting(s -> s.previousStatus().wire() + "->" + s.status().wire())
                    .containsExactly("requested->running", "running->paused", "paused->completed");

            // Who approved this, and when: the audit trail.
            JsonNode history = suite.call("GET", "/api/v1/inquiries/" + inquiryId + "/history", adminToken, null);
            assertThat(history.path("data").findValuesAsString("action")).containsExactly("created", "responded");
            assertThat(history.path("data").get(1).path("actor").asString()).isEqualTo("ada");
        }
    }

    @Test
    @Order(2)
    void anUnansweredInquiryTimesOutAndTakesItsExecutionWithIt() {
        try (PublishedMessages broker = new PublishedMessages(suite.environment(), "inquiry.*", "execution.status.changed");
             NotificationClient onFirst = approverOn(1);
             NotificationClient onSecond = approverOn(2)) {
            long executionId = requestExecution(TestPacks.ECHO, Map.of(
                    "__inquiry", inquiryRequest("Restart the payment gateway now?", 1),
                    "gateway", Map.of("name", "payments-eu", "region", "eu-west-1")));
            long inquiryId = broker.awaitMessage(InquiryCreated.class, c -> c.executionId() == executionId, PATIENCE)
                    .payload().inquiryId();

            InquiryTimedOut timedOut = broker.awaitMessage(InquiryTimedOut.class, t -> t.inquiryId() == inquiryId,
                    PATIENCE).payload();
            broker.awaitMessage(ExecutionStatusChanged.class, s -> s.executionId() == executionId
                    && s.previousStatus() == ExecutionStatus.PAUSED && s.status() == ExecutionStatus.TIMEOUT, PATIENCE);

            assertThat(inquiry(inquiryId).path("status").asString()).isEqualTo("timeout");
            JsonNode execution = execution(executionId);
            assertThat(execution.path("status").asString()).isEqualTo("timeout");
            JsonNode outcome = execution.path("result").path("__inquiry");
            assertThat(outcome.propertyNames()).containsExactlyInAnyOrder("id", "prompt", "status", "timeout_at");
            assertThat(outcome.path("id").asLong()).isEqualTo(inquiryId);
            assertThat(outcome.path("status").asString()).isEqualTo("timeout");
            assertThat(Instant.parse(outcome.path("timeout_at").asString())).isEqualTo(timedOut.timeoutAt());
            assertThat(execution.path("result").path("gateway").path("name").asString()).isEqualTo("payments-eu");

            for (NotificationClient client : List.of(onFirst, onSecond)) {
                client.awaitNotification(inquiryId, "created", PATIENCE);
                JsonNode notification = client.awaitNotification(inquiryId, "timeout", PATIENCE);
                assertNotification(notification, inquiryId, "timeout", executionId, "timeout");
                assertThat(Instant.parse(notification.path("content").path("timeout_at").asString()))
                        .isEqualTo(timedOut.timeoutAt());
            }

            // Too late: refused, and nothing changes.
            HttpResponse<String> late = respond(inquiryId, approverToken, Map.of("approved", true));
            assertThat(late.statusCode()).isEqualTo(409);
            assertThat(Json.tree(late.body()).path("code").asString()).isEqualTo("CONFLICT");
            assertThat(execution(executionId).path("status").asString()).isEqualTo("timeout");
            JsonNode history = suite.call("GET", "/api/v1/inquiries/" + inquiryId + "/history", adminToken, null);
            assertThat(history.path("data").findValuesAsString("action")).containsExactly("created", "timeout");
            assertThat(history.path("data").get(1).path("actor").asString()).isEqualTo("system");
        }
    }

    @Test
    @Order(3)
    void anAdminCancelsAPendingInquiryAndItsExecution() {
        try (PublishedMessages broker = new PublishedMessages(suite.environment(), "inquiry.*", "execution.status.changed");
             NotificationClient onFirst = approverOn(1);
             NotificationClient onSecond = approverOn(2)) {
            long executionId = requestExecution(TestPacks.ECHO, Map.of(
                    "__inquiry", inquiryRequest("Drop the legacy reporting tables?", null),
                    "tables", List.of("report_2019", "report_2020")));
            long inquiryId = broker.awaitMessage(InquiryCreated.class, c -> c.executionId() == executionId, PATIENCE)
                    .payload().inquiryId();

            // Only an admin may cancel; the assignee may not.
            assertThat(suite.send("POST", "/api/v1/inquiries/" + inquiryId + "/cancel", approverToken, null)
                    .statusCode()).isEqualTo(403);
            JsonNode cancelled = suite.call("POST", "/api/v1/inquiries/" + inquiryId + "/cancel", adminToken, null);
            assertThat(cancelled.path("data").path("status").asString()).isEqualTo("cancelled");

            InquiryCancelled event = broker.awaitMessage(InquiryCancelled.class, c -> c.inquiryId() == inquiryId,
                    PATIENCE).payload();
            assertThat(event.cancelledBy()).isEqualTo(adminId);
            broker.awaitMessage(ExecutionStatusChanged.class, s -> s.executionId() == executionId
                    && s.previousStatus() == ExecutionStatus.PAUSED && s.status() == ExecutionStatus.CANCELLED, PATIENCE);

            assertThat(inquiry(inquiryId).path("status").asString()).isEqualTo("cancelled");
            JsonNode execution = execution(executionId);
            assertThat(execution.path("status").asString()).isEqualTo("cancelled");
            JsonNode outcome = execution.path("result").path("__inquiry");
            assertThat(outcome.path("status").asString()).isEqualTo("cancelled");
            assertThat(outcome.path("cancelled_by").asLong()).isEqualTo(adminId);
            assertThat(execution.path("result").path("tables").size()).isEqualTo(2);

            for (NotificationClient client : List.of(onFirst, onSecond)) {
                JsonNode notification = client.awaitNotification(inquiryId, "cancelled", PATIENCE);
                assertNotification(notification, inquiryId, "cancelled", executionId, "cancelled");
                assertThat(notification.path("content").path("cancelled_by").asLong()).isEqualTo(adminId);
            }

            HttpResponse<String> afterwards = respond(inquiryId, approverToken, Map.of("approved", true));
            assertThat(afterwards.statusCode()).isEqualTo(409);
            assertThat(execution(executionId).path("status").asString()).isEqualTo("cancelled");
        }
    }

    /**
     * 200 pending inquiries are answered by 20 concurrent clients; once executor-1 has resumed some of them, it is
     * killed with SIGKILL (the answers beyond the 120th wait for the kill, so it lands mid-stream whatever the
     * machine's speed). Every execution must still be resumed exactly once, by the executor that is left.
     */
    @Test
    @Order(4)
    void killingAnExecutorWhile200AnswersAreProcessedResumesEveryExecutionExactlyOnce() throws Exception {
        int count = 200;
        int beforeTheKill = 120;
        ExecutorService clients = Executors.newFixedThreadPool(20);
        try (PublishedMessages broker = new PublishedMessages(suite.environment(), "execution.status.changed");
             NotificationClient watcher = NotificationClient.subscribe("admin-on-notifier-2", suite.notifierUrl(2),
                     adminToken, new SubscriptionFilters("inquiry", null, "responded", null, null))) {

            // 200 executions, each pausing on an inquiry assigned to the approver.
            long start = System.nanoTime();
            List<Future<Long>> requests = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                requests.add(clients.submit(() -> requestExecution(TestPacks.ECHO, Map.of(
                        "__inquiry", Map.of("prompt", "Approve change #" + n + "?", "response_schema", APPROVAL_SCHEMA,
                                "assigned_to", approverId),
                        "change", Map.of("number", n)))));
            }
            List<Long> executionIds = new ArrayList<>();
            for (Future<Long> request : requests) {
                executionIds.add(request.get(60, TimeUnit.SECONDS));
            }
            await("200 executions paused on a pending inquiry").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> countExecutions(executionIds, "paused"), n -> n == count);
            Map<Long, Long> inquiryOf = pendingInquiries(executionIds);
            assertThat(inquiryOf).hasSize(count);
            System.out.printf("%d executions requested, run by the worker and paused in %.1f s%n", count,
                    (System.nanoTime() - start) / 1e9);
            start = System.nanoTime();

            RunningSuite.Service executor2 = suite.service("executor-2");
            double ignoredBefore = metric(executor2, "attune_inquiry_responses_ignored_total");
            double resumedBefore = metric(executor2, "attune_executions_resumed_total");

            // Answer all of them concurrently; the answers after the 120th wait for the kill.
            CountDownLatch killed = new CountDownLatch(1);
            AtomicInteger answered = new AtomicInteger();
            Map<Long, Integer> answerStatus = new ConcurrentHashMap<>();
            List<Future<?>> answers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                long executionId = executionIds.get(i);
                boolean afterTheKill = i >= beforeTheKill;
                answers.add(clients.submit(() -> {
                    if (afterTheKill && !killed.await(120, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("executor-1 was never killed");
                    }
                    HttpResponse<String> response = respond(inquiryOf.get(executionId), approverToken,
                            Map.of("approved", true, "comments", "change of execution " + executionId));
                    answerStatus.put(executionId, response.statusCode());
                    answered.incrementAndGet();
                    return null;
                }));
            }

            RunningSuite.Service executor1 = suite.service("executor-1");
            await("executor-1 resumes executions").atMost(PATIENCE).pollInterval(Duration.ofMillis(25))
                    .until(() -> metric(executor1, "attune_executions_resumed_total"), n -> n >= 10);
            int answeredAtKill = answered.get();
            long completedAtKill = countExecutions(executionIds, "completed");
            executor1.kill();
            killed.countDown();
            System.out.printf("SIGKILL executor-1 after %d of %d answers, %d executions completed%n",
                    answeredAtKill, count, completedAtKill);
            assertThat(executor1.isAlive()).isFalse();

            for (Future<?> answer : answers) {
                answer.get(120, TimeUnit.SECONDS);
            }
            assertThat(answerStatus.values()).as("every answer accepted").hasSize(count).containsOnly(200);

            await("every execution completed").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                    .until(() -> countExecutions(executionIds, "completed"), n -> n == count);
            System.out.printf("%d answers given and their executions resumed in %.1f s%n", count,
                    (System.nanoTime() - start) / 1e9);
            System.out.printf("executor-2 resumed %.0f and found %.0f answers already applied (delivered again: "
                            + "executor-1 died before acknowledging them, or a relay died before marking them sent)%n",
                    metric(executor2, "attune_executions_resumed_total") - resumedBefore,
                    metric(executor2, "attune_inquiry_responses_ignored_total") - ignoredBefore);

            // Exactly once: one paused -> completed in the stored event trail per execution...
            Map<Long, Integer> resumptions = resumptionsInTrail(executionIds);
            assertThat(resumptions).hasSize(count);
            assertThat(resumptions.values()).containsOnly(1);
            // ...and on the wire, where a relay that crashed may repeat an event, but only with its own event id.
            await("every resumption on the broker").atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                    .until(() -> resumedOnTheWire(broker).keySet().containsAll(executionIds));
            assertThat(resumedOnTheWire(broker).entrySet()).filteredOn(e -> executionIds.contains(e.getKey()))
                    .allSatisfy(e -> assertThat(e.getValue()).as("event ids of execution %s", e.getKey()).hasSize(1));

            Map<Long, JsonNode> results = results(executionIds);
            for (long executionId : executionIds) {
                JsonNode outcome = results.get(executionId).path("__inquiry");
                assertThat(outcome.path("status").asString()).isEqualTo("responded");
                assertThat(outcome.path("id").asLong()).isEqualTo(inquiryOf.get(executionId));
                assertThat(outcome.path("response").path("comments").asString())
                        .isEqualTo("change of execution " + executionId);
            }
            assertThat(countInquiries(executionIds, "responded")).isEqualTo(count);
            String prefix = suite.environment().namespace().queuePrefix();
            assertThat(broker.probe().depth(prefix + "executor.inquiry.responded.dlq")).isZero();
            assertThat(broker.probe().depth(prefix + "executor.execution.completed.dlq")).isZero();

            // Notifications do not depend on the executors: every answer was told.
            await("a responded notification for every answer").atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                    .until(() -> watcher.notifications().stream().map(n -> Long.parseLong(n.path("entity").asString()))
                            .collect(Collectors.toSet()).containsAll(inquiryOf.values()));
            assertThat(executor2.isHealthy()).isTrue();
        } finally {
            clients.shutdownNow();
        }
    }

    // --- the suite's users -------------------------------------------------------------------------------------

    private static NotificationClient approverOn(int notifier) {
        return NotificationClient.subscribe("ada-on-notifier-" + notifier, suite.notifierUrl(notifier), approverToken,
                new SubscriptionFilters("inquiry", null, null, approverId, null));
    }

    private static long requestExecution(String actionRef, Map<String, Object> parameters) {
        JsonNode created = suite.call("POST", "/api/v1/executions", requesterToken,
                Json.write(Map.of("action_ref", actionRef, "parameters", parameters))).path("data");
        assertThat(created.path("status").asString()).isEqualTo("requested");
        return created.path("id").asLong();
    }

    private static Map<String, Object> inquiryRequest(String prompt, Integer timeoutSeconds) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("prompt", prompt);
        request.put("response_schema", APPROVAL_SCHEMA);
        request.put("assigned_to", approverId);
        if (timeoutSeconds != null) {
            request.put("timeout_seconds", timeoutSeconds);
        }
        return request;
    }

    private static HttpResponse<String> respond(long inquiryId, String token, Map<String, Object> response) {
        return suite.send("POST", "/api/v1/inquiries/" + inquiryId + "/respond", token,
                Json.write(Map.of("response", response)));
    }

    private static JsonNode execution(long id) {
        return suite.call("GET", "/api/v1/executions/" + id, adminToken, null).path("data");
    }

    private static JsonNode inquiry(long id) {
        return suite.call("GET", "/api/v1/inquiries/" + id, adminToken, null).path("data");
    }

    /** docs/protocol.md §5: {"id", "entity_type": "inquiry", "entity": "<id>", "activity", "content": {…}}. */
    private static void assertNotification(JsonNode notification, long inquiryId, String activity, long executionId,
                                           String status) {
        assertThat(notification.path("id").isIntegralNumber()).as("id of %s", notification).isTrue();
        assertThat(notification.path("entity_type").asString()).isEqualTo("inquiry");
        assertThat(notification.path("entity").isString()).as("entity is a string: %s", notification).isTrue();
        assertThat(notification.path("entity").asString()).isEqualTo(Long.toString(inquiryId));
        assertThat(notification.path("activity").asString()).isEqualTo(activity);
        JsonNode content = notification.path("content");
        assertThat(content.path("prompt").isString()).isTrue();
        assertThat(content.path("assigned_to").asLong()).isEqualTo(approverId);
        assertThat(content.path("execution").asLong()).isEqualTo(executionId);
        assertThat(content.path("status").asString()).isEqualTo(status);
        assertThat(content.has("response")).as("the answer is never in a notification").isFalse();
    }

    // --- what an operator would look at: the executor's metrics, the database, the broker ----------------------

    private static synchronized String metricsToken() {
        if (metricsToken == null) {
            metricsToken = suite.adminToken();
        }
        return metricsToken;
    }

    /** A counter of one executor, from its Prometheus endpoint (which needs an admin token). */
    private static double metric(RunningSuite.Service executor, String name) {
        HttpResponse<String> metrics;
        try {
            metrics = METRICS.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + executor.port() + "/actuator/prometheus"))
                    .header("Authorization", "Bearer " + metricsToken())
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        assertThat(metrics.statusCode()).isEqualTo(200);
        return metrics.body().lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static double sumOverExecutors(String metric) {
        return suite.services().stream().filter(s -> s.kind().equals("executor") && s.isAlive())
                .mapToDouble(s -> metric(s, metric)).sum();
    }

    private static Map<Long, Set<Long>> resumedOnTheWire(PublishedMessages broker) {
        Map<Long, Set<Long>> eventIds = new HashMap<>();
        broker.all().stream()
                .filter(m -> m.payload() instanceof ExecutionStatusChanged s
                        && s.previousStatus() == ExecutionStatus.PAUSED && s.status() == ExecutionStatus.COMPLETED)
                .forEach(m -> eventIds.computeIfAbsent(m.payload().executionId(), k -> new java.util.HashSet<>())
                        .add(Long.parseLong(m.headers().get(MessageEnvelope.EVENT_ID))));
        return eventIds;
    }

    private static long countExecutions(List<Long> ids, String status) throws SQLException {
        return single("SELECT count(*) FROM attune.execution WHERE id = ANY(?) AND status = ?::attune.execution_status_enum",
                ids, status);
    }

    private static long countInquiries(List<Long> executionIds, String status) throws SQLException {
        return single("SELECT count(*) FROM attune.inquiry WHERE execution = ANY(?) AND status = ?::attune.inquiry_status_enum",
                executionIds, status);
    }

    private static synchronized Map<Long, Long> pendingInquiries(List<Long> executionIds) throws SQLException {
        Map<Long, Long> inquiryOf = new HashMap<>();
        Connection c = database;
        try (PreparedStatement ps = c.prepareStatement(
                     "SELECT execution, id FROM attune.inquiry WHERE execution = ANY(?) AND status = 'pending'")) {
            ps.setArray(1, ids(c, executionIds));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    inquiryOf.put(rs.getLong(1), rs.getLong(2));
                }
            }
        }
        return inquiryOf;
    }

    private static synchronized Map<Long, Integer> resumptionsInTrail(List<Long> executionIds) throws SQLException {
        Map<Long, Integer> resumptions = new HashMap<>();
        Connection c = database;
        try (PreparedStatement ps = c.prepareStatement("SELECT execution_id, count(*) FROM attune.event "
                     + "WHERE message_type = 'ExecutionStatusChanged' AND execution_id = ANY(?) "
                     + "AND envelope->'payload'->>'previous_status' = 'paused' "
                     + "AND envelope->'payload'->>'status' = 'completed' GROUP BY execution_id")) {
            ps.setArray(1, ids(c, executionIds));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    resumptions.put(rs.getLong(1), rs.getInt(2));
                }
            }
        }
        return resumptions;
    }

    private static synchronized Map<Long, JsonNode> results(List<Long> executionIds) throws SQLException {
        Map<Long, JsonNode> results = new HashMap<>();
        Connection c = database;
        try (PreparedStatement ps = c.prepareStatement("SELECT id, result::text FROM attune.execution WHERE id = ANY(?)")) {
            ps.setArray(1, ids(c, executionIds));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    results.put(rs.getLong(1), Json.tree(rs.getString(2)));
                }
            }
        }
        return results;
    }

    private static synchronized long single(String sql, List<Long> ids, String status) throws SQLException {
        Connection c = database;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, ids(c, ids));
            ps.setString(2, status);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Array ids(Connection c, List<Long> ids) throws SQLException {
        return c.createArrayOf("bigint", ids.toArray());
    }
}
