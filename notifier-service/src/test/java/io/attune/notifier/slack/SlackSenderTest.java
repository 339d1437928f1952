package io.attune.notifier.slack;

import io.attune.core.channel.ChannelConfig;
import io.attune.core.channel.Delivery;
import io.attune.core.channel.DeliveryOutcome;
import io.attune.core.inquiry.JsonSchemas;
import io.attune.core.slack.SlackDecision;
import io.attune.model.json.Json;
import io.attune.testsupport.FakeSlack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The Block Kit message, POSTed to a real HTTP server standing in for Slack's incoming webhook. */
class SlackSenderTest {
    static final FakeSlack SLACK = new FakeSlack();
    final SlackSender sender = new SlackSender(new SlackDecision(new JsonSchemas()));

    @AfterAll
    static void stop() {
        SLACK.close();
    }

    static Delivery delivery(String type, String schema) {
        JsonNode message = Json.tree("""
                {"type": "%s", "timestamp": "2026-12-03T09:00:00Z", "data": {
                  "inquiry": {"id": 42, "execution": 7, "prompt": "Deploy <!channel> & <http://evil|click>?",
                              "response_schema": %s, "assigned_to": 5, "status": "pending",
                              "timeout_at": "2026-12-03T10:00:00Z"},
                  "links": {"view": "https://attune.example.com/#/inquiries/42",
                            "respond": "https://attune.example.com/a/abc"},
                  "context": {"deployment_plan": {"version": "2.5.0"}, "service": "billing-api"}}}"""
                .formatted(type, schema));
        return new Delivery(1, "msg-1", 10L, type, 42L, null, null, 1, Instant.now(), message);
    }

    ChannelConfig channel(String path) {
        return new ChannelConfig(1L, "slack", "approvals", Json.tree("{\"webhook_url\": \"" + SLACK.url() + path
                + "\", \"signing_secret\": \"s\"}"));
    }

    @Test
    void aBooleanDecisionGetsApproveAndRejectButtonsAndTheTextIsEscaped() {
        DeliveryOutcome outcome = sender.send(channel("/services/T/B/x"), delivery("inquiry.created",
                "{\"type\": \"object\", \"required\": [\"approved\"], \"properties\": {\"approved\": {\"type\": "
                        + "\"boolean\"}, \"comments\": {\"type\": \"string\"}}}"));
        assertThat(outcome.result()).isEqualTo(DeliveryOutcome.Result.DELIVERED);
        JsonNode posted = Json.tree(SLACK.take("/services/T/B/x", Duration.ofSeconds(5)).body());
        assertThat(posted.get("text").asString()).startsWith("Approval needed");
        JsonNode actions = posted.get("blocks").get(posted.get("blocks").size() - 1);
        assertThat(actions.get("type").asString()).isEqualTo("actions");
        assertThat(actions.get("elements")).extracting(e -> e.get("action_id").asString())
                .containsExactly("attune_approve", "attune_reject", "attune_open");
        assertThat(actions.get("elements").get(0).get("value").asString()).isEqualTo("42");
        assertThat(actions.get("elements").get(2).get("url").asString())
                .isEqualTo("https://attune.example.com/#/inquiries/42");
        assertThat(posted.toString()).contains("&lt;!channel&gt; &amp; &lt;http://evil|click&gt;", "billing-api",
                        "Deployment plan")
                .doesNotContain("<!channel>", "/a/abc");
    }

    @Test
    void anythingElseGetsALinkAndSlacksErrorsAreRetriedOrNot() {
        sender.send(channel("/services/link"), delivery("inquiry.created",
                "{\"type\": \"object\", \"required\": [\"approved\", \"reason\"], \"properties\": {\"approved\": "
                        + "{\"type\": \"boolean\"}, \"reason\": {\"type\": \"string\"}}}"));
        JsonNode posted = Json.tree(SLACK.take("/services/link", Duration.ofSeconds(5)).body());
        assertThat(posted.toString()).doesNotContain("attune_approve").contains("Answer in Attune",
                "https://attune.example.com/#/inquiries/42");

        // a decision_field names the button's property, even when another boolean is required first
        Delivery quorum = delivery("inquiry.created", "{\"type\": \"object\", \"properties\": {\"urgent\": "
                + "{\"type\": \"boolean\"}, \"ok\": {\"type\": \"boolean\"}}, \"required\": [\"ok\"]}");
        ((tools.jackson.databind.node.ObjectNode) quorum.message().get("data").get("inquiry"))
                .put("decision_field", "/ok");
        assertThat(sender.message(quorum).toString()).contains("attune_approve");
        ((tools.jackson.databind.node.ObjectNode) quorum.message().get("data").get("inquiry"))
                .put("decision_field", "/urgent");
        assertThat(sender.message(quorum).toString()).as("{urgent: true} alone lacks ok").doesNotContain("attune_approve");

        assertThat(sender.send(channel("/status/404/x"), delivery("inquiry.created", "null")).result())
                .isEqualTo(DeliveryOutcome.Result.FAILED);
        assertThat(sender.send(channel("/status/500/x"), delivery("inquiry.created", "null")).result())
                .isEqualTo(DeliveryOutcome.Result.RETRY);
        assertThat(sender.send(channel("/status/429/x"), delivery("inquiry.created", "null")).result())
                .isEqualTo(DeliveryOutcome.Result.RETRY);
        assertThat(sender.send(new ChannelConfig(1L, "slack", "x", Json.tree("{\"webhook_url\": "
                + "\"http://127.0.0.1:1/x\"}")), delivery("inquiry.created", "null")).result())
                .isEqualTo(DeliveryOutcome.Result.RETRY);

        sender.send(channel("/services/answered"), delivery("inquiry.responded", "null"));
        assertThat(SLACK.take("/services/answered", Duration.ofSeconds(5)).body()).contains("Answered")
                .doesNotContain("attune_approve");
    }
}
