package io.attune.e2e;

import io.attune.model.json.Json;
import io.attune.testsupport.FakeSlack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Slack, end to end with the built jars (api, executor, notifier running the channel engine, a worker running
 * {@code e2e.echo}) and a real HTTP server standing in for Slack: the Block Kit message reaches the incoming webhook,
 * an approval clicked in Slack — a {@code block_actions} payload signed exactly as Slack signs it — resumes the
 * execution and the message update reaches the {@code response_url}; a wrong signature, an old timestamp and an
 * unknown Slack user are refused.
 */
class SlackEndToEndTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String SECRET = "e2e-signing-secret-" + System.nanoTime();
    private static final JsonNode SCHEMA = Json.tree("""
            {"type": "object", "required": ["approved"], "properties": {
              "approved": {"type": "boolean"}, "comments": {"type": "string"}}}""");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static FakeSlack slack;
    private static RunningSuite suite;
    private static String adminToken;
    private static long adaId;

    @BeforeAll
    static void start() {
        slack = new FakeSlack();
        suite = RunningSuite.start(Map.of("ATTUNE_PACKS_DIR", TestPacks.create().toString(),
                "ATTUNE_SLACK_RESPONSE_URL_PREFIX", slack.url() + "/"), "api", "executor", "notifier", "worker");
        adminToken = suite.adminToken();
        adaId = suite.createIdentity("ada", "ada-password");
        suite.call("PATCH", "/api/v1/identities/" + adaId, adminToken,
                "{\"attributes\": {\"slack_user_id\": \"U0ADA\", \"email\": \"ada@example.com\"}}");
        JsonNode channel = suite.call("POST", "/api/v1/channels", adminToken, Json.write(Map.of("type", "slack",
                "name", "approvals", "config", Map.of("webhook_url", slack.url() + "/services/T0/B0/x",
                        "signing_secret", SECRET))));
        assertThat(channel.path("data").path("type").asString()).as("%s", channel).isEqualTo("slack");
    }

    @AfterAll
    static void stop() {
        try {
            if (suite != null) {
                suite.close();
            }
        } finally {
            if (slack != null) {
                slack.close();
            }
        }
    }

    @Test
    void anApprovalInSlackResumesTheExecutionAndUpdatesTheMessage() throws Exception {
        Map<String, Object> inquiry = new LinkedHashMap<>();
        inquiry.put("prompt", "Deploy billing-api 2.5.0 to production?");
        inquiry.put("response_schema", SCHEMA);
        inquiry.put("assigned_to", adaId);
        inquiry.put("timeout_seconds", 600);
        long execution = suite.call("POST", "/api/v1/executions", adminToken, Json.write(Map.of(
                "action_ref", TestPacks.ECHO, "parameters", Map.of("__inquiry", inquiry,
                        "deployment_plan", Map.of("service", "billing-api", "strategy", "rolling")))))
                .path("data").path("id").asLong();
        long inquiryId = await("the inquiry of execution " + execution).atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> suite.call("GET", "/api/v1/inquiries?execution=" + execution, adminToken, null)
                        .path("data"), rows -> rows.size() == 1).get(0).path("id").asLong();

        // the Block Kit message, as Slack's incoming webhook receives it
        JsonNode message = Json.tree(slack.take("/services/T0/B0/x", PATIENCE).body());
        assertThat(message.get("text").asString()).contains("Deploy billing-api 2.5.0 to production?");
        assertThat(message.toString()).contains("*Deployment plan*", "rolling", "attune_approve", "attune_reject",
                "/#/inquiries/" + inquiryId).doesNotContain("/a/");
        assertThat(suite.call("GET", "/api/v1/inquiries/" + inquiryId, adminToken, null).path("data")
                .path("status").asString()).as("posting to Slack answered nothing").isEqualTo("pending");

        String responseUrl = slack.url() + "/actions/T0/1/abc";
        String payload = FakeSlack.blockActions("U0ADA", "attune_approve", inquiryId, responseUrl);

        HttpResponse<String> forged = interaction(FakeSlack.sign("a-wrong-secret", payload, Instant.now()));
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(Json.tree(forged.body()).path("text").asString()).contains("signature");
        HttpResponse<String> old = interaction(FakeSlack.sign(SECRET, payload, Instant.now().minusSeconds(301)));
        assertThat(old.statusCode()).isEqualTo(401);
        HttpResponse<String> stranger = interaction(FakeSlack.sign(SECRET,
                FakeSlack.blockActions("U0STRANGER", "attune_approve", inquiryId, responseUrl), Instant.now()));
        assertThat(stranger.statusCode()).isEqualTo(403);
        assertThat(Json.tree(slack.take("/actions/T0/1/abc", PATIENCE).body()).path("text").asString())
                .contains("not linked to an Attune identity");
        assertThat(suite.call("GET", "/api/v1/inquiries/" + inquiryId, adminToken, null).path("data")
                .path("status").asString()).isEqualTo("pending");

        HttpResponse<String> approved = interaction(FakeSlack.sign(SECRET, payload, Instant.now()));
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        JsonNode update = Json.tree(slack.take("/actions/T0/1/abc", PATIENCE).body());
        assertThat(update.path("replace_original").asBoolean()).isTrue();
        assertThat(update.toString()).contains("Approved", "ada").doesNotContain("\"actions\"");

        JsonNode completed = await("the execution resumes").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> suite.call("GET", "/api/v1/executions/" + execution, adminToken, null).path("data"),
                        e -> "completed".equals(e.path("status").asString()));
        JsonNode answer = completed.path("result").path("__inquiry");
        assertThat(answer.path("response")).isEqualTo(Json.tree("{\"approved\": true}"));
        assertThat(answer.path("responded_by").asLong()).isEqualTo(adaId);

        // the channel is told of the answer too
        assertThat(slack.take("/services/T0/B0/x", PATIENCE).body()).contains("Answered");
    }

    private static HttpResponse<String> interaction(FakeSlack.SignedRequest signed) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(suite.apiUrl() + "/integrations/slack/interactions"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Slack-Request-Timestamp", signed.timestamp())
                .header("X-Slack-Signature", signed.signature())
                .POST(HttpRequest.BodyPublishers.ofString(signed.body())).build(), HttpResponse.BodyHandlers.ofString());
    }
}
