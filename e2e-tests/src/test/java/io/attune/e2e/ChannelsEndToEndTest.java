package io.attune.e2e;

import io.attune.model.json.Json;
import io.attune.testsupport.WebhookReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Webhook channels on the built jars: api, executor, worker and two notifiers sharing the deliveries (two sender
 * threads each, so both take part), and a receiver that verifies Standard Webhooks signatures. The receiver is down
 * while ten inquiries are opened; once it is back every event arrives, each once, under the webhook-id its failed
 * tries carried; half the inquiries are then answered through the signed respond links the webhooks carried.
 */
class ChannelsEndToEndTest {
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final Map<String, String> FAST_RETRIES = Map.of("ATTUNE_CHANNELS_POLLINTERVAL", "200ms",
            "ATTUNE_CHANNELS_RETRYINITIAL", "500ms", "ATTUNE_CHANNELS_RETRYMAX", "2s",
            "ATTUNE_CHANNELS_TIMEOUT", "2s", "ATTUNE_CHANNELS_LEASE", "5s", "ATTUNE_CHANNELS_SENDERTHREADS", "2");
    private static RunningSuite suite;
    private static String adminToken;
    private static long approverId;
    private static String approverToken;

    @BeforeAll
    static void start() {
        Map<String, String> variables = new LinkedHashMap<>(FAST_RETRIES);
        variables.put("ATTUNE_PACKS_DIR", TestPacks.create().toString());
        suite = RunningSuite.start(variables, "notifier", "api", "executor", "worker");
        suite.launchAndAwait("notifier-2", "notifier");
        adminToken = suite.adminToken();
        approverId = suite.createIdentity("ada", "ada-password");
        approverToken = suite.login("ada", "ada-password");
    }

    @AfterAll
    static void stop() {
        if (suite != null) {
            suite.close();
        }
    }

    @Test
    void everyEventReachesTheReceiverOnceThroughAnOutageAndItsLinksAnswer() throws Exception {
        String secret = "whsec_" + java.util.Base64.getEncoder().encodeToString("e2e-webhook-key-of-32-bytes!!!!!".getBytes());
        try (WebhookReceiver receiver = new WebhookReceiver(secret)) {
            JsonNode channel = suite.call("POST", "/api/v1/channels", adminToken, Json.write(Map.of("type", "webhook",
                    "name", "e2e-hook", "config", Map.of("url", receiver.url(), "secret", secret),
                    "filters", Map.of("activity", List.of("created", "responded"))))).path("data");
            long channelId = channel.path("id").asLong();
            assertThat(suite.send("GET", "/api/v1/channels", approverToken, null).statusCode()).isEqualTo(403);

            receiver.down();
            List<Long> inquiries = openInquiries(10);
            await("every delivery failed at least once").atMost(PATIENCE).pollInterval(Duration.ofMillis(500))
                    .until(() -> deliveries(channelId), rows -> rows.size() == 10
                            && rows.stream().allMatch(r -> r.path("attempts").asInt() >= 2));
            receiver.up();
            await("the ten created events arrive").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                    .until(() -> receiver.accepted().size() == 10);

            // the signed respond links the webhooks carried answer, as the identity they were made for
            List<JsonNode> created = receiver.acceptedRequests().stream().map(r -> Json.tree(r.body())).toList();
            for (JsonNode body : created.subList(0, 5)) {
                assertThat(body.path("type").asString()).isEqualTo("inquiry.created");
                URI link = URI.create(body.at("/data/links/respond").asString());
                HttpResponse<String> answered = suite.send("POST", link.getPath(), null,
                        Json.write(Map.of("response", Map.of("approved", true))));
                assertThat(answered.statusCode()).as(answered.body()).isIn(200, 303);
            }
            for (JsonNode body : created.subList(5, 10)) {
                suite.call("POST", "/api/v1/inquiries/" + body.at("/data/inquiry/id").asLong() + "/respond",
                        approverToken, Json.write(Map.of("response", Map.of("approved", false))));
            }
            await("the ten responded events arrive").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                    .until(() -> receiver.accepted().size() == 20);
            await("every delivery is recorded as delivered").atMost(PATIENCE).pollInterval(Duration.ofMillis(500))
                    .until(() -> deliveries(channelId), rows -> rows.size() == 20
                            && rows.stream().allMatch(r -> "delivered".equals(r.path("status").asString())));

            assertThat(receiver.invalid()).isEmpty();
            assertThat(receiver.accepted().values()).as("each event accepted once").containsOnly(1);
            List<JsonNode> rows = deliveries(channelId);
            Set<String> ids = rows.stream().map(r -> r.path("message_id").asString()).collect(Collectors.toSet());
            assertThat(receiver.accepted().keySet()).isEqualTo(ids);
            // a refused try carried the id the accepted one did
            assertThat(rows.stream().filter(r -> "inquiry.created".equals(r.path("event_type").asString())))
                    .allSatisfy(r -> assertThat(r.path("tries").get(0).path("status").asString()).isEqualTo("failed"));
            List<JsonNode> responded = receiver.acceptedRequests().stream().map(r -> Json.tree(r.body()))
                    .filter(b -> "inquiry.responded".equals(b.path("type").asString())).toList();
            assertThat(responded).hasSize(10).allSatisfy(b -> {
                assertThat(b.at("/data/inquiry/responded_by").asLong()).isEqualTo(approverId);
                assertThat(b.at("/data/links").has("respond")).isFalse();
            });
            assertThat(responded.stream().filter(b -> b.at("/data/inquiry/response/approved").asBoolean()).count())
                    .isEqualTo(5);
            assertThat(responded.stream().map(b -> b.at("/data/inquiry/id").asLong()).collect(Collectors.toSet()))
                    .containsExactlyInAnyOrderElementsOf(inquiries);
            assertThat(suite.call("GET", "/api/v1/channels/" + channelId, adminToken, null).at("/data/status/state")
                    .asString()).isEqualTo("ok");
            // both notifiers are alive and healthy after all that
            assertThat(suite.service("notifier-1").isHealthy()).isTrue();
            assertThat(suite.service("notifier-2").isHealthy()).isTrue();
        }
    }

    private static List<JsonNode> deliveries(long channel) {
        List<JsonNode> rows = new ArrayList<>();
        suite.call("GET", "/api/v1/channels/" + channel + "/deliveries?per_page=100", adminToken, null).path("data")
                .forEach(rows::add);
        return rows;
    }

    private static List<Long> openInquiries(int n) {
        List<Long> executions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> inquiry = new LinkedHashMap<>();
            inquiry.put("prompt", "Ship release #" + i + "?");
            inquiry.put("response_schema", Map.of("type", "object",
                    "properties", Map.of("approved", Map.of("type", "boolean")), "required", List.of("approved")));
            inquiry.put("assigned_to", approverId);
            executions.add(suite.call("POST", "/api/v1/executions", adminToken, Json.write(Map.of(
                    "action_ref", TestPacks.ECHO, "parameters", Map.of("__inquiry", inquiry)))).path("data")
                    .path("id").asLong());
        }
        return await("the inquiries are pending").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    List<Long> ids = new ArrayList<>();
                    for (long execution : executions) {
                        suite.call("GET", "/api/v1/inquiries?execution=" + execution, adminToken, null).path("data")
                                .forEach(i -> ids.add(i.path("id").asLong()));
                    }
                    return ids;
                }, ids -> ids.size() == n);
    }
}
