package io.attune.api.channel;

import io.attune.api.ApiClient.Response;
import io.attune.api.ApiIntegrationTest;
import io.attune.core.identity.Identity;
import io.attune.core.identity.Role;
import io.attune.model.json.Json;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Channels for admins: validation, secrets never shown after creation, audit entries, the delivery log, a test. */
class ChannelApiTest extends ApiIntegrationTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        start(registry);
    }

    private Response patch(String path, String token, String json) {
        return api().send(api().request(path, token).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private Response delete(String path, String token) {
        return api().send(api().request(path, token).DELETE().build());
    }

    @Test
    void onlyAdminsManageChannels() {
        String user = token(identity(Role.USER));
        assertError(api().get("/api/v1/channels", user), 403, "FORBIDDEN");
        assertError(api().post("/api/v1/channels", user, "{\"type\": \"email\", \"name\": \"x\"}"), 403, "FORBIDDEN");
        assertError(api().get("/api/v1/channels/1/deliveries", user), 403, "FORBIDDEN");
        assertError(api().post("/api/v1/channels/1/test", user, ""), 403, "FORBIDDEN");
        assertError(api().get("/api/v1/channels", null), 401, "UNAUTHORIZED");
    }

    @Test
    void aWebhookIsCreatedReadChangedAndDeletedItsSecretShownOnlyOnce() {
        Identity adminIdentity = admin();
        String admin = token(adminIdentity);
        Response created = api().post("/api/v1/channels", admin, """
                {"type": "webhook", "name": "ops-hook", "config": {"url": "https://hooks.example.com/attune",
                 "secret": "%s"}, "filters": {"activity": ["created", "escalated"]}}""".formatted(SECRET));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        JsonNode channel = created.data();
        long id = channel.get("id").asLong();
        assertThat(created.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/api/v1/channels/" + id));
        assertThat(channel.propertyNames()).containsExactlyInAnyOrder("id", "type", "name", "config", "filters",
                "enabled", "status", "created", "updated");
        assertThat(channel.at("/config/secret").asString()).isEqualTo(SECRET);
        assertThat(channel.at("/status/state").asString()).isEqualTo("ok");
        assertThat(channel.at("/filters/activity").toString()).isEqualTo("[\"created\",\"escalated\"]");

        JsonNode read = api().get("/api/v1/channels/" + id, admin).data();
        assertThat(read.at("/config/secret").asString()).isEqualTo("********");
        assertThat(read.at("/config/url").asString()).isEqualTo("https://hooks.example.com/attune");
        assertThat(api().get("/api/v1/channels", admin).body()).doesNotContain(SECRET);

        // a change that sends the mask back (or leaves the secret out) keeps it
        Response renamed = patch("/api/v1/channels/" + id, admin, """
                {"name": "ops-hook-2", "config": {"url": "https://hooks.example.com/v2", "secret": "********"}}""");
        assertThat(renamed.status()).as("%s", renamed).isEqualTo(200);
        assertThat(renamed.data().at("/config/secret").asString()).isEqualTo("********");
        assertThat(jdbc.sql("SELECT config->>'secret' FROM attune.channel WHERE id = ?").param(id)
                .query(String.class).single()).isEqualTo(SECRET);
        assertThat(patch("/api/v1/channels/" + id, admin, "{\"enabled\": false}").data().at("/status/state")
                .asString()).isEqualTo("disabled");

        assertThat(delete("/api/v1/channels/" + id, admin).status()).isEqualTo(204);
        assertError(api().get("/api/v1/channels/" + id, admin), 404, "NOT_FOUND");
        assertError(delete("/api/v1/channels/" + id, admin), 404, "NOT_FOUND");

        List<Map<String, Object>> audit = jdbc.sql("SELECT action, actor_id, details::text AS details FROM "
                + "attune.inquiry_audit WHERE entity_type = 'channel' AND entity_id = ? ORDER BY id")
                .param(Long.toString(id)).query().listOfRows();
        assertThat(audit).extracting(a -> a.get("action").toString())
                .containsExactly("created", "updated", "updated", "deleted");
        assertThat(audit).extracting(a -> ((Number) a.get("actor_id")).longValue()).containsOnly(adminIdentity.id());
        assertThat(audit).allSatisfy(a -> assertThat(a.get("details").toString()).doesNotContain(SECRET));
    }

    @Test
    void aWebhookWithoutASecretGetsOneAndEveryInvalidFieldIsListed() {
        String admin = token(admin());
        Response created = api().post("/api/v1/channels", admin, """
                {"type": "webhook", "name": "generated", "config": {"url": "http://127.0.0.1:9/x"}}""");
        assertThat(created.status()).isEqualTo(201);
        String secret = created.data().at("/config/secret").asString();
        assertThat(secret).startsWith("whsec_");
        assertThat(java.util.Base64.getDecoder().decode(secret.substring(6))).hasSize(32);

        JsonNode bad = assertError(api().post("/api/v1/channels", admin, """
                {"type": "webhook", "name": "", "config": {"url": "ftp://x", "secret": "nope", "extra": 1},
                 "filters": {"activity": "created", "assigned_to": "ada", "other": true}, "colour": "red"}"""),
                400, "BAD_REQUEST");
        assertThat(bad.get("details").findValues("path")).extracting(JsonNode::asString).containsExactlyInAnyOrder(
                "/colour", "/name", "/config/extra", "/config/url", "/config/secret", "/filters/other",
                "/filters/activity", "/filters/assigned_to");
        assertThat(assertError(api().post("/api/v1/channels", admin, "{\"type\": \"sms\", \"name\": \"a\"}"), 400,
                "BAD_REQUEST").get("details").get(0).get("path").asString()).isEqualTo("/type");
        assertError(api().post("/api/v1/channels", admin, """
                {"type": "slack", "name": "s", "config": {"webhook_url": "http://hooks.slack.com/x"}}"""),
                400, "BAD_REQUEST");
        assertError(api().post("/api/v1/channels", admin, "[1]"), 400, "BAD_REQUEST");
        assertError(api().post("/api/v1/channels", admin, "{not json"), 400, "BAD_REQUEST");
        assertError(api().post("/api/v1/channels", admin, """
                {"type": "email", "name": "mail", "filters": {"assigned_to": 987654}}"""), 422, "VALIDATION_ERROR");
        assertThat(api().post("/api/v1/channels", admin, "{\"type\": \"email\", \"name\": \"dup\"}").status())
                .isEqualTo(201);
        assertError(api().post("/api/v1/channels", admin, "{\"type\": \"email\", \"name\": \"dup\"}"), 409, "CONFLICT");
        long slack = api().post("/api/v1/channels", admin, """
                {"type": "slack", "name": "slack", "config": {"webhook_url": "https://hooks.slack.com/services/T/B/x",
                 "signing_secret": "8f742231b10e8888abcd99yyyzzz85a5"}}""").data().get("id").asLong();
        assertThat(api().get("/api/v1/channels/" + slack, admin).data().at("/config/signing_secret").asString())
                .isEqualTo("********");
        assertError(patch("/api/v1/channels/" + slack, admin, "{\"type\": \"email\"}"), 400, "BAD_REQUEST");
        assertError(api().get("/api/v1/channels/" + slack + "/deliveries?status=lost", admin), 400, "BAD_REQUEST");
    }

    @Test
    void aTestMessageIsQueuedAsADeliveryAndListedWithItsTries() {
        Identity adminIdentity = admin();
        String admin = token(adminIdentity);
        long email = api().post("/api/v1/channels", admin, "{\"type\": \"email\", \"name\": \"mail-test\"}").data()
                .get("id").asLong();
        // a test email goes to the caller, who needs an email address
        assertError(api().post("/api/v1/channels/" + email + "/test", admin, ""), 422, "VALIDATION_ERROR");
        jdbc.sql("UPDATE attune.identity SET attributes = '{\"email\": \"root@example.com\"}' WHERE id = ?")
                .param(adminIdentity.id()).update();
        Response queued = api().post("/api/v1/channels/" + email + "/test", admin, "");
        assertThat(queued.status()).as("%s", queued).isEqualTo(202);
        assertThat(queued.data().get("event_type").asString()).isEqualTo("channel.test");
        assertThat(queued.data().get("recipient").asString()).isEqualTo("root@example.com");
        assertThat(queued.data().get("status").asString()).isEqualTo("pending");
        assertThat(queued.data().get("message_id").asString()).startsWith("msg_");

        // as a notifier records a failed try
        long delivery = queued.data().get("id").asLong();
        jdbc.sql("INSERT INTO attune.delivery_attempt (delivery_id, attempt, status, response_code, error, replica, "
                + "finished_at) VALUES (?, 1, 'failed', 503, 'the receiver answered 503', 'n1', now())")
                .param(delivery).update();
        jdbc.sql("UPDATE attune.delivery SET attempts = 1, last_code = 503, last_error = 'the receiver answered 503' "
                + "WHERE id = ?").param(delivery).update();
        Response log = api().get("/api/v1/channels/" + email + "/deliveries", admin);
        assertThat(log.status()).isEqualTo(200);
        assertThat(log.json().get("total").asLong()).isEqualTo(1);
        JsonNode row = log.json().get("data").get(0);
        assertThat(row.get("attempts").asInt()).isEqualTo(1);
        assertThat(row.get("next_attempt_at").isNull()).isFalse();
        assertThat(row.at("/tries/0/response_code").asInt()).isEqualTo(503);
        assertThat(row.at("/tries/0/error").asString()).isEqualTo("the receiver answered 503");
        assertThat(api().get("/api/v1/channels/" + email, admin).data().at("/status/state").asString())
                .isEqualTo("retrying");
        assertThat(api().get("/api/v1/channels/" + email + "/deliveries?status=delivered", admin).json()
                .get("total").asLong()).isZero();
        assertError(api().get("/api/v1/channels/987654/deliveries", admin), 404, "NOT_FOUND");

        // what the notifiers report about their email senders is the channel's status: unavailable while none can
        jdbc.sql("INSERT INTO attune.channel_sender_status (type, available, reason, replica) VALUES ('email', false, "
                + "'no SMTP server is configured on the notifier (ATTUNE_SMTP_URL)', 'n1')").update();
        JsonNode status = api().get("/api/v1/channels/" + email, admin).data().get("status");
        assertThat(status.get("state").asString()).isEqualTo("unavailable");
        assertThat(status.get("reason").asString()).contains("ATTUNE_SMTP_URL");
        // ... and no longer once one replica can, whatever the other says
        jdbc.sql("INSERT INTO attune.channel_sender_status (type, available, replica) VALUES ('email', true, 'n2')")
                .update();
        assertThat(api().get("/api/v1/channels/" + email, admin).data().at("/status/state").asString())
                .isEqualTo("retrying");
        // a replica that stopped reporting long ago counts no more
        jdbc.sql("UPDATE attune.channel_sender_status SET reported_at = now() - interval '10 minutes' "
                + "WHERE replica = 'n2'").update();
        assertThat(api().get("/api/v1/channels/" + email, admin).data().at("/status/state").asString())
                .isEqualTo("unavailable");
        jdbc.sql("DELETE FROM attune.channel_sender_status").update();
    }
}
