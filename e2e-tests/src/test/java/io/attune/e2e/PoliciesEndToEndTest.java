package io.attune.e2e;

import io.attune.model.json.Json;
import io.attune.model.ws.SubscriptionFilters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The inquiry policies of docs/policies.md over the built jars (api, executor, notifier, a worker with the examples
 * pack and {@code e2e.echo}): a 2-of-3 quorum from the examples' template, a rejection deciding at once, a second
 * answer by the same person, the race for the last slot, a default at the timeout (and an invalid default), a
 * missing template and a missing variable, and a reminder reaching a WebSocket client.
 */
@StandardSuite.Uses
class PoliciesEndToEndTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String SCHEMA = """
            {"type": "object", "properties": {"approved": {"type": "boolean"}, "comments": {"type": "string"}},
             "required": ["approved"]}""";

    private static RunningSuite suite;
    private static String adminToken;
    private static final List<Long> ids = new ArrayList<>();
    private static final List<String> tokens = new ArrayList<>();
    private static Connection database;

    @BeforeAll
    static void start(StandardSuite shared) {
        suite = shared.running();
        adminToken = suite.adminToken();
        for (int i = 0; i < 8; i++) {
            ids.add(suite.createIdentity(shared.unique("approver" + i), "approver-password-" + i));
            tokens.add(suite.login(shared.unique("approver" + i), "approver-password-" + i));
        }
        database = await("a connection to the test database").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> suite.environment().database().connect(), c -> c != null);
    }

    @AfterAll
    static void stop() throws Exception {
        if (database != null) {
            database.close();
        }
    }

    private record Paused(long execution, long inquiry) {
    }

    private static long run(String actionRef, Map<String, Object> parameters) {
        return suite.call("POST", "/api/v1/executions", adminToken, Json.write(Map.of("action_ref", actionRef,
                "parameters", parameters))).path("data").path("id").asLong();
    }

    /** Runs {@code e2e.echo} reporting {@code inquiry} as its {@code __inquiry}. */
    private static long ask(String inquiry) {
        return run(TestPacks.ECHO, Map.of("__inquiry", Json.tree(inquiry), "plan", "p-1"));
    }

    private static Paused paused(long execution) {
        long inquiry = await("the inquiry of execution " + execution).atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> suite.call("GET", "/api/v1/inquiries?execution=" + execution, adminToken, null)
                        .path("data"), rows -> rows.size() == 1)
                .get(0).path("id").asLong();
        return new Paused(execution, inquiry);
    }

    private static JsonNode execution(long id, String status) {
        return await("execution " + id + " " + status).atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> suite.call("GET", "/api/v1/executions/" + id, adminToken, null).path("data"),
                        e -> status.equals(e.path("status").asString()));
    }

    private static HttpResponse<String> respond(long inquiry, int who, String response) {
        return suite.send("POST", "/api/v1/inquiries/" + inquiry + "/respond", tokens.get(who),
                "{\"response\": " + response + "}");
    }

    @Test
    void aTwoOfThreeQuorumFromTheExamplesTemplateResumesOnceWithEveryAnswer() {
        try (NotificationClient admin = NotificationClient.subscribe("admin", suite.notifierUrl(1), adminToken,
                new SubscriptionFilters("inquiry", null, null, null, null))) {
            Paused asked = paused(run("examples.change_board", Map.of("change", "db failover", "risk", "medium")));
            JsonNode inquiry = suite.call("GET", "/api/v1/inquiries/" + asked.inquiry(), adminToken, null)
                    .path("data");
            assertThat(inquiry.path("prompt").asString()).isEqualTo("Approve change db failover (risk: medium)?");
            assertThat(inquiry.path("approvals_required").asInt()).isEqualTo(2);
            assertThat(inquiry.path("remind_every_seconds").asInt()).isEqualTo(3600);

            HttpResponse<String> first = respond(asked.inquiry(), 0, "{\"approved\": true, \"comments\": \"ok\"}");
            assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
            assertThat(Json.tree(first.body()).path("data").path("status").asString()).isEqualTo("pending");
            JsonNode updated = admin.awaitNotification(asked.inquiry(), "updated", PATIENCE);
            assertThat(updated.path("content").path("approvals").asInt()).isEqualTo(1);
            assertThat(updated.path("content").path("approvals_required").asInt()).isEqualTo(2);
            // the same person again: 409
            assertThat(respond(asked.inquiry(), 0, "{\"approved\": true}").statusCode()).isEqualTo(409);

            assertThat(respond(asked.inquiry(), 1, "{\"approved\": true}").statusCode()).isEqualTo(200);
            JsonNode completed = execution(asked.execution(), "completed");
            JsonNode outcome = completed.path("result").path("__inquiry");
            assertThat(outcome.path("responses")).extracting(a -> a.path("responded_by").asLong())
                    .containsExactly(ids.get(0), ids.get(1));
            assertThat(completed.path("result").path("change").path("name").asString()).isEqualTo("db failover");
            // too late for the third
            assertThat(respond(asked.inquiry(), 2, "{\"approved\": true}").statusCode()).isEqualTo(409);
            admin.awaitNotification(asked.inquiry(), "responded", PATIENCE);
        }
    }

    @Test
    void aRejectionDecidesAtOnce() {
        Paused asked = paused(ask("{\"prompt\": \"Go?\", \"response_schema\": " + SCHEMA
                + ", \"approvals_required\": 3, \"decision_field\": \"/approved\"}"));
        assertThat(respond(asked.inquiry(), 0, "{\"approved\": true}").statusCode()).isEqualTo(200);
        assertThat(respond(asked.inquiry(), 1, "{\"approved\": false, \"comments\": \"no\"}").statusCode())
                .isEqualTo(200);
        JsonNode outcome = execution(asked.execution(), "completed").path("result").path("__inquiry");
        assertThat(outcome.path("response").path("approved").asBoolean()).isFalse();
        assertThat(outcome.path("responses")).hasSize(2);
    }

    @Test
    void ofConcurrentAnswersForTheLastSlotExactlyOneIsRecorded() throws Exception {
        Paused asked = paused(ask("{\"prompt\": \"Go?\", \"response_schema\": " + SCHEMA
                + ", \"approvals_required\": 2}"));
        assertThat(respond(asked.inquiry(), 0, "{\"approved\": true}").statusCode()).isEqualTo(200);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> statuses = new ArrayList<>();
        for (int who = 2; who < 8; who++) {
            int person = who;
            statuses.add(pool.submit(() -> {
                go.await();
                return respond(asked.inquiry(), person, "{\"approved\": true}").statusCode();
            }));
        }
        go.countDown();
        List<Integer> codes = new ArrayList<>();
        for (Future<Integer> status : statuses) {
            codes.add(status.get());
        }
        pool.shutdown();
        assertThat(codes).filteredOn(c -> c == 200).hasSize(1);
        assertThat(codes).filteredOn(c -> c != 200).allMatch(c -> c == 409);
        JsonNode outcome = execution(asked.execution(), "completed").path("result").path("__inquiry");
        assertThat(outcome.path("responses")).hasSize(2);
    }

    @Test
    void aDefaultAnswersAtTheTimeoutAndAnInvalidOneFailsTheExecution() {
        Paused asked = paused(ask("{\"prompt\": \"Go?\", \"response_schema\": " + SCHEMA + ", \"timeout_seconds\": 2, "
                + "\"on_timeout\": {\"response\": {\"approved\": false, \"comments\": \"nobody decided\"}}}"));
        JsonNode completed = execution(asked.execution(), "completed");
        JsonNode outcome = completed.path("result").path("__inquiry");
        assertThat(outcome.path("defaulted").asBoolean()).isTrue();
        assertThat(outcome.path("status").asString()).isEqualTo("timeout");
        assertThat(outcome.path("response").path("comments").asString()).isEqualTo("nobody decided");
        JsonNode inquiry = suite.call("GET", "/api/v1/inquiries/" + asked.inquiry(), adminToken, null).path("data");
        assertThat(inquiry.path("status").asString()).isEqualTo("timeout");
        assertThat(inquiry.path("defaulted").asBoolean()).isTrue();
        JsonNode history = suite.call("GET", "/api/v1/inquiries/" + asked.inquiry() + "/history", adminToken, null)
                .path("data");
        assertThat(history.get(history.size() - 1).path("details").path("defaulted").asBoolean()).isTrue();

        long invalid = ask("{\"prompt\": \"Go?\", \"response_schema\": " + SCHEMA
                + ", \"on_timeout\": {\"response\": {\"approved\": \"maybe\"}}}");
        assertThat(execution(invalid, "failed").path("result").path("error").asString())
                .contains("on_timeout's response does not match response_schema");
    }

    @Test
    void aMissingTemplateOrVariableFailsTheExecutionWithTheReason() {
        long missing = ask("{\"template\": \"examples.no_such_template\"}");
        assertThat(execution(missing, "failed").path("result").path("error").asString())
                .contains("template examples.no_such_template does not exist");
        long noVar = ask("{\"template\": \"examples.change_approval\", \"vars\": {\"change\": \"x\"}}");
        assertThat(execution(noVar, "failed").path("result").path("error").asString()).contains("{{risk}}");
    }

    @Test
    void aReminderReachesAWebSocketClient() throws Exception {
        try (NotificationClient approver = NotificationClient.subscribe("approver", suite.notifierUrl(1),
                tokens.get(3), new SubscriptionFilters("inquiry", null, "reminder", null, null))) {
            Paused asked = paused(ask("{\"prompt\": \"Still there?\", \"timeout_seconds\": 3600, "
                    + "\"remind_every_seconds\": 60}"));
            // a minute is the least period: bring the first reminder forward rather than wait for it
            try (PreparedStatement due = database.prepareStatement(
                    "UPDATE attune.inquiry SET next_reminder_at = now() WHERE id = ?")) {
                due.setLong(1, asked.inquiry());
                assertThat(due.executeUpdate()).isEqualTo(1);
            }
            JsonNode reminder = approver.awaitNotification(asked.inquiry(), "reminder", PATIENCE);
            assertThat(reminder.path("content").path("reminder").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(reminder.path("content").path("status").asString()).isEqualTo("pending");
            JsonNode history = suite.call("GET", "/api/v1/inquiries/" + asked.inquiry() + "/history", adminToken,
                    null).path("data");
            assertThat(history.findValuesAsString("action")).contains("reminder");
        }
    }
}
