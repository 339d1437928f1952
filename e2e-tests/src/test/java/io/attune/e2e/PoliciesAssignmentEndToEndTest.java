package io.attune.e2e;

import io.attune.model.json.Json;
import io.attune.model.ws.SubscriptionFilters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 17, assignment policies over the built jars (api, executor, notifier, a worker running {@code e2e.echo}):
 * a group's member answers and others cannot, visibility over REST and WebSocket, escalation by the executor's sweep
 * (notification, audit), an answer racing an escalation, and bulk answers overlapping single ones.
 */
@StandardSuite.Uses
class PoliciesAssignmentEndToEndTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    private static final String SCHEMA = "{\"type\": \"object\", \"properties\": {\"approved\": {\"type\": "
            + "\"boolean\"}}, \"required\": [\"approved\"]}";

    private static RunningSuite suite;
    private static String adminToken;
    private static long adaId;
    private static long bobId;
    private static long cydId;
    private static String ada;
    private static String bob;
    private static String cyd;
    private static String sre;

    @BeforeAll
    static void start(StandardSuite shared) {
        suite = shared.running();
        adminToken = suite.adminToken();
        adaId = suite.createIdentity("ada-" + RUN, "ada-password");
        bobId = suite.createIdentity("bob-" + RUN, "bob-password");
        cydId = suite.createIdentity("cyd-" + RUN, "cyd-password");
        sre = "sre-" + RUN;
        suite.call("POST", "/api/v1/groups", adminToken, Json.write(Map.of("name", sre, "members", List.of(adaId))));
        ada = suite.login("ada-" + RUN, "ada-password");
        bob = suite.login("bob-" + RUN, "bob-password");
        cyd = suite.login("cyd-" + RUN, "cyd-password");
    }

    private record Paused(long execution, long inquiry) {
    }

    /** An execution of {@code e2e.echo} whose result asks with these extra {@code __inquiry} fields. */
    private static Paused pause(String extraFields) {
        JsonNode inquiry = Json.tree("{\"prompt\": \"Approve " + UUID.randomUUID() + "?\", \"response_schema\": "
                + SCHEMA + ", \"timeout_seconds\": 600, " + extraFields + "}");
        long execution = suite.call("POST", "/api/v1/executions", adminToken, Json.write(Map.of(
                "action_ref", TestPacks.ECHO, "parameters", Map.of("__inquiry", inquiry))))
                .path("data").path("id").asLong();
        long inquiryId = await("the inquiry of execution " + execution).atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> suite.call("GET", "/api/v1/inquiries?execution=" + execution, adminToken, null)
                        .path("data"), rows -> rows.size() == 1)
                .get(0).path("id").asLong();
        return new Paused(execution, inquiryId);
    }

    private static HttpResponse<String> respond(long inquiry, String token) {
        return suite.send("POST", "/api/v1/inquiries/" + inquiry + "/respond", token,
                "{\"response\": {\"approved\": true}}");
    }

    private static List<String> history(long inquiry) {
        List<String> actions = new ArrayList<>();
        suite.call("GET", "/api/v1/inquiries/" + inquiry + "/history", adminToken, null).path("data")
                .forEach(e -> actions.add(e.path("action").asString()));
        return actions;
    }

    private static List<Long> listed(String token, String query) {
        List<Long> ids = new ArrayList<>();
        suite.call("GET", "/api/v1/inquiries?per_page=100" + query, token, null).path("data")
                .forEach(i -> ids.add(i.path("id").asLong()));
        return ids;
    }

    @Test
    void aGroupMemberAnswersOthersCannotAndVisibilityHoldsOverRestAndWebSocket() {
        SubscriptionFilters inquiries = new SubscriptionFilters("inquiry", null, null, null, null);
        // an on-call lead watching what is assigned to ada: her groups' inquiries included
        SubscriptionFilters adasInquiries = new SubscriptionFilters("inquiry", null, null, adaId, null);
        try (NotificationClient adaWs = NotificationClient.subscribe("ada", suite.notifierUrl(1), ada, inquiries);
             NotificationClient bobWs = NotificationClient.subscribe("bob", suite.notifierUrl(1), bob, inquiries);
             NotificationClient lead = NotificationClient.subscribe("lead", suite.notifierUrl(1), adminToken,
                     adasInquiries)) {
            Paused paused = pause("\"assigned_to\": {\"group\": \"" + sre + "\"}");
            JsonNode created = adaWs.awaitNotification(paused.inquiry(), "created", PATIENCE);
            assertThat(created.path("content").path("assigned_to").path("group").asString()).isEqualTo(sre);
            lead.awaitNotification(paused.inquiry(), "created", PATIENCE);

            assertThat(listed(ada, "&status=pending&assigned_to=" + adaId)).contains(paused.inquiry());
            assertThat(listed(bob, "")).doesNotContain(paused.inquiry());
            assertThat(suite.send("GET", "/api/v1/inquiries/" + paused.inquiry(), bob, null).statusCode())
                    .isEqualTo(404);
            assertThat(respond(paused.inquiry(), bob).statusCode()).isEqualTo(404);
            HttpResponse<String> admin = respond(paused.inquiry(), adminToken);
            assertThat(admin.statusCode()).as(admin.body()).isEqualTo(403);
            assertThat(respond(paused.inquiry(), ada).statusCode()).isEqualTo(200);

            adaWs.awaitNotification(paused.inquiry(), "responded", PATIENCE);
            await("the execution resumes").atMost(PATIENCE).until(() -> suite.call("GET", "/api/v1/executions/"
                    + paused.execution(), adminToken, null).path("data").path("status").asString(), "completed"::equals);
            // the group's inquiry reached ada; bob, outside the group, heard nothing of it
            assertThat(bobWs.notifications()).noneMatch(n -> n.path("entity").asString()
                    .equals(Long.toString(paused.inquiry())));
        }
    }

    @Test
    void theExecutorEscalatesAPendingInquiryAndTellsOldAndNewAssignees() {
        SubscriptionFilters inquiries = new SubscriptionFilters("inquiry", null, null, null, null);
        try (NotificationClient adaWs = NotificationClient.subscribe("ada", suite.notifierUrl(1), ada, inquiries);
             NotificationClient cydWs = NotificationClient.subscribe("cyd", suite.notifierUrl(1), cyd, inquiries)) {
            Paused paused = pause("\"assigned_to\": {\"group\": \"" + sre + "\"}, \"escalation\": "
                    + "[{\"after_seconds\": 2, \"assign_to\": {\"user\": " + cydId + "}}]");
            for (NotificationClient told : List.of(adaWs, cydWs)) {
                JsonNode escalated = told.awaitNotification(paused.inquiry(), "escalated", PATIENCE);
                assertThat(escalated.path("content").path("assigned_to").path("user").asLong()).isEqualTo(cydId);
                assertThat(escalated.path("content").path("escalation").path("previous_assigned_to").path("group")
                        .asString()).isEqualTo(sre);
            }
            assertThat(history(paused.inquiry())).containsExactly("created", "escalated");
            assertThat(respond(paused.inquiry(), ada).statusCode()).isIn(403, 404);
            assertThat(respond(paused.inquiry(), cyd).statusCode()).isEqualTo(200);
            assertThat(history(paused.inquiry())).containsExactly("created", "escalated", "responded");
            JsonNode insights = suite.call("GET", "/api/v1/insights?group_by=action_ref", adminToken, null);
            assertThat(insights.path("data").findValues("escalated").stream().mapToLong(JsonNode::asLong).sum())
                    .isPositive();
        }
    }

    /** Answers sent around the moment each inquiry escalates: every inquiry tells one consistent story. */
    @Test
    void anAnswerRacingAnEscalationIsDecidedOneWayOrTheOther() throws Exception {
        int count = 12;
        List<Paused> racing = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            racing.add(pause("\"assigned_to\": " + adaId + ", \"escalation\": [{\"after_seconds\": 3, "
                    + "\"assign_to\": {\"user\": " + cydId + "}}]"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Paused paused = racing.get(i);
                long delay = 2000 + i * 150L; // across the moment the sweep takes the step
                answers.add(pool.submit(() -> {
                    Thread.sleep(delay);
                    return respond(paused.inquiry(), ada).statusCode();
                }));
            }
            for (int i = 0; i < count; i++) {
                int status = answers.get(i).get();
                long inquiry = racing.get(i).inquiry();
                if (status == 200) {
                    assertThat(history(inquiry)).as("answered first").containsExactly("created", "responded");
                } else {
                    assertThat(status).isIn(403, 404);
                    await().atMost(PATIENCE).until(() -> history(inquiry), h -> h.contains("escalated"));
                    assertThat(history(inquiry)).containsExactly("created", "escalated");
                    assertThat(respond(inquiry, cyd).statusCode()).isEqualTo(200);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aBulkAnswerOverlappingSingleAnswersGivesOneWinnerPerInquiry() throws Exception {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            ids.add(pause("\"assigned_to\": [{\"group\": \"" + sre + "\"}, {\"user\": " + bobId + "}]").inquiry());
        }
        ExecutorService pool = Executors.newFixedThreadPool(6);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Map<Long, Integer>>> calls = new ArrayList<>();
            calls.add(pool.submit(() -> {
                go.await();
                Map<Long, Integer> got = new HashMap<>();
                suite.call("POST", "/api/v1/inquiries/bulk", bob, Json.write(Map.of("action", "respond", "ids", ids,
                                "response", Map.of("approved", true)))).path("data")
                        .forEach(r -> got.put(r.path("id").asLong(), r.path("status").asInt()));
                return got;
            }));
            for (long id : ids) {
                calls.add(pool.submit(() -> {
                    go.await();
                    return Map.of(id, respond(id, ada).statusCode());
                }));
            }
            go.countDown();
            Map<Long, Integer> winners = new LinkedHashMap<>();
            for (Future<Map<Long, Integer>> call : calls) {
                call.get().forEach((id, status) -> {
                    assertThat(status).isIn(200, 409);
                    if (status == 200) {
                        winners.merge(id, 1, Integer::sum);
                    }
                });
            }
            assertThat(winners).hasSize(ids.size()).allSatisfy((id, wins) -> assertThat(wins).isEqualTo(1));
        } finally {
            pool.shutdownNow();
        }
    }
}
