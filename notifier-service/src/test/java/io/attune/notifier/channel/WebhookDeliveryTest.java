package io.attune.notifier.channel;

import io.attune.core.channel.ChannelConfigRules;
import io.attune.core.identity.Identity;
import io.attune.core.identity.Role;
import io.attune.core.inquiry.Inquiry;
import io.attune.core.link.SignedLinks;
import io.attune.model.json.Json;
import io.attune.testsupport.WebhookReceiver;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Webhooks against a real HTTP receiver that verifies every request as Standard Webhooks says; short retry delays
 * and timeouts (docs/channels.md, "Configuration") so that an outage fits in a test.
 */
@TestPropertySource(properties = {"attune.channels.poll-interval=100ms", "attune.channels.retry-initial=200ms",
        "attune.channels.retry-max=1s", "attune.channels.timeout=1s", "attune.channels.lease=3s",
        "attune.public-url=https://attune.example.com"})
class WebhookDeliveryTest extends ChannelTestSupport {
    @Autowired
    SignedLinks signedLinks;

    @Test
    void everyEventIsPostedSignedWithTheInquiryAndItsLinksAndSecretsMasked() {
        String secret = ChannelConfigRules.newWebhookSecret();
        Identity ada = identity(Role.USER);
        try (WebhookReceiver receiver = new WebhookReceiver(secret)) {
            long channel = webhookChannel(receiver.url(), secret, null);
            Inquiry inquiry = openWithSecret(ada.id(), "Deploy billing-api 2.5.0?");
            // answered once the created webhook is out: a respond link is minted only while the inquiry is pending
            await().atMost(WAIT).until(() -> receiver.acceptedRequests().size() == 1);
            inquiryTransitions.respond(inquiry.id(), ada.actor(),
                    Json.tree("{\"approved\": true, \"token\": \"tok-very-secret-42\"}"), null);

            await().atMost(WAIT).until(() -> receiver.acceptedRequests().size() == 2);
            assertThat(receiver.invalid()).isEmpty();
            List<WebhookReceiver.Received> got = receiver.acceptedRequests();
            JsonNode created = Json.tree(got.get(0).body());
            JsonNode responded = Json.tree(got.get(1).body());
            assertThat(created.get("type").asString()).isEqualTo("inquiry.created");
            assertThat(created.get("timestamp").asString()).endsWith("Z");
            assertThat(created.at("/data/inquiry/id").asLong()).isEqualTo(inquiry.id());
            assertThat(created.at("/data/inquiry/prompt").asString()).isEqualTo("Deploy billing-api 2.5.0?");
            assertThat(created.at("/data/inquiry/assigned_to").asLong()).isEqualTo(ada.id());
            assertThat(created.at("/data/links/view").asString())
                    .isEqualTo("https://attune.example.com/#/inquiries/" + inquiry.id());
            assertThat(created.has("data") && !created.get("data").has("context")).isTrue();
            // the respond link is bound to the one assignee and opens this inquiry
            String respond = created.at("/data/links/respond").asString();
            assertThat(respond).startsWith("https://attune.example.com/a/");
            SignedLinks.Link link = signedLinks.find(respond.substring(respond.lastIndexOf('/') + 1)).orElseThrow();
            assertThat(link.inquiry()).isEqualTo(inquiry.id());
            assertThat(link.identity()).isEqualTo(ada.id());

            assertThat(responded.get("type").asString()).isEqualTo("inquiry.responded");
            assertThat(responded.at("/data/inquiry/status").asString()).isEqualTo("responded");
            assertThat(responded.at("/data/inquiry/response/approved").asBoolean()).isTrue();
            assertThat(responded.at("/data/inquiry/response/token").asString()).isEqualTo("********");
            // a closed inquiry gets no respond link
            assertThat(responded.at("/data/links").has("respond")).isFalse();
            assertThat(receiver.received()).allSatisfy(r -> assertThat(r.body()).doesNotContain("tok-very-secret-42"));

            await().atMost(WAIT).until(() -> deliveries(channel).stream()
                    .allMatch(r -> "delivered".equals(r.get("status"))));
            List<Map<String, Object>> rows = deliveries(channel);
            assertThat(rows).extracting(r -> r.get("last_code")).containsOnly(200);
            assertThat(rows.stream().map(r -> r.get("message_id")).collect(Collectors.toSet()))
                    .isEqualTo(receiver.accepted().keySet());
        }
    }

    @Test
    void aReceiverThatIsDownGetsEveryEventOnceBackWithTheSameWebhookId() {
        String secret = ChannelConfigRules.newWebhookSecret();
        Identity admin = identity(Role.ADMIN);
        try (WebhookReceiver receiver = new WebhookReceiver(secret)) {
            long channel = webhookChannel(receiver.url(), secret, Json.tree("{\"activity\": [\"created\", \"cancelled\"]}"));
            receiver.down();
            List<Inquiry> inquiries = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                inquiries.add(open(null, "Import batch " + i + "?"));
            }
            cancel(inquiries.get(0), admin);
            // every delivery fails twice or more while the receiver refuses connections
            await().atMost(WAIT).until(() -> {
                List<Map<String, Object>> rows = deliveries(channel);
                return rows.size() == 6 && rows.stream().allMatch(r -> ((Number) r.get("attempts")).intValue() >= 2);
            });
            List<Map<String, Object>> failing = deliveries(channel);
            assertThat(failing).extracting(r -> r.get("status")).containsOnly("pending");
            assertThat(tries(((Number) failing.get(0).get("id")).longValue()).get(0).get("error").toString())
                    .startsWith("could not reach the receiver");

            // then it answers 503 for a while: recorded as the response code
            receiver.answer(503);
            receiver.up();
            await().atMost(WAIT).until(() -> receiver.received().stream().filter(r -> r.answered() == 503).count() >= 6);
            receiver.answer(200);
            await().atMost(WAIT).until(() -> receiver.accepted().size() == 6);
            await().atMost(WAIT).until(() -> deliveries(channel).stream().allMatch(r -> "delivered".equals(r.get("status"))));

            assertThat(receiver.invalid()).isEmpty();
            // each accepted once, under the id it was refused with before
            assertThat(receiver.accepted().values()).containsOnly(1);
            Set<String> ids = deliveries(channel).stream().map(r -> r.get("message_id").toString())
                    .collect(Collectors.toSet());
            assertThat(receiver.accepted().keySet()).isEqualTo(ids);
            assertThat(receiver.received().stream().filter(r -> r.answered() == 503).map(WebhookReceiver.Received::id))
                    .allMatch(ids::contains);
            List<JsonNode> bodies = receiver.acceptedRequests().stream().map(r -> Json.tree(r.body())).toList();
            assertThat(bodies).extracting(b -> b.get("type").asString())
                    .containsOnly("inquiry.created", "inquiry.cancelled");
            assertThat(bodies.stream().map(b -> b.at("/data/inquiry/id").asLong()).collect(Collectors.toSet()))
                    .containsExactlyInAnyOrderElementsOf(inquiries.stream().map(Inquiry::id).toList());
            long withCode503 = deliveries(channel).stream()
                    .flatMap(r -> tries(((Number) r.get("id")).longValue()).stream())
                    .filter(t -> Integer.valueOf(503).equals(t.get("response_code"))).count();
            assertThat(withCode503).isGreaterThanOrEqualTo(6);
        }
    }

    @Test
    void aReminderAndAnEscalationEachReachAChannelThatAsksForThem() {
        String secret = ChannelConfigRules.newWebhookSecret();
        Identity ada = identity(Role.USER);
        Identity cyd = identity(Role.USER);
        try (WebhookReceiver receiver = new WebhookReceiver(secret)) {
            long channel = webhookChannel(receiver.url(), secret,
                    Json.tree("{\"activity\": [\"reminder\", \"escalated\"]}"));
            Inquiry inquiry = openChecked("{\"prompt\": \"Renew the certificate?\", \"assigned_to\": " + ada.id()
                    + ", \"remind_every_seconds\": 600, \"escalation\": [{\"after_seconds\": 3600, "
                    + "\"assign_to\": {\"user\": " + cyd.id() + "}}]}");
            // the executors' sweeps, run here once their moment is brought forward
            jdbc.sql("UPDATE attune.inquiry SET next_reminder_at = now() - interval '1 second' WHERE id = ?")
                    .param(inquiry.id()).update();
            assertThat(inquiryTransitions.remindDue(100, null)).isEqualTo(1);
            jdbc.sql("UPDATE attune.inquiry SET escalate_at = now() - interval '1 second' WHERE id = ?")
                    .param(inquiry.id()).update();
            assertThat(inquiryTransitions.escalateDue(100, null)).isEqualTo(1);

            await().atMost(WAIT).until(() -> deliveries(channel).size() == 2
                    && deliveries(channel).stream().allMatch(r -> "delivered".equals(r.get("status"))));
            // (in the order the relay stored the two events, which need not be the order of the sweeps)
            assertThat(deliveries(channel)).extracting(r -> r.get("event_type"))
                    .containsExactlyInAnyOrder("inquiry.reminder", "inquiry.escalated");
            assertThat(receiver.invalid()).isEmpty();
            Map<String, JsonNode> byType = receiver.acceptedRequests().stream().map(r -> Json.tree(r.body()))
                    .collect(Collectors.toMap(b -> b.get("type").asString(), b -> b));
            assertThat(byType).hasSize(2).containsKeys("inquiry.reminder", "inquiry.escalated");
            assertThat(byType.values()).extracting(b -> b.at("/data/inquiry/id").asLong()).containsOnly(inquiry.id());
            assertThat(byType.get("inquiry.escalated").at("/data/inquiry/assigned_to/user").asLong())
                    .isEqualTo(cyd.id());
        }
    }

    @Test
    void noAnswerWithinTheTimeoutIsTriedAgain() {
        String secret = ChannelConfigRules.newWebhookSecret();
        try (WebhookReceiver receiver = new WebhookReceiver(secret)) {
            long channel = webhookChannel(receiver.url(), secret, null);
            receiver.delay(Duration.ofMillis(2500));
            open(null, "Slow receiver?");
            await().atMost(WAIT).until(() -> !deliveries(channel).isEmpty()
                    && ((Number) deliveries(channel).get(0).get("attempts")).intValue() >= 2);
            receiver.delay(Duration.ZERO);
            await().atMost(WAIT).until(() -> "delivered".equals(deliveries(channel).get(0).get("status")));
            long id = ((Number) deliveries(channel).get(0).get("id")).longValue();
            assertThat(tries(id).get(0).get("error").toString()).isEqualTo("no answer within 1 s");
            assertThat(receiver.received()).extracting(WebhookReceiver.Received::id).containsOnly(
                    deliveries(channel).get(0).get("message_id").toString());
        }
    }

    @Test
    void aWrongSecretIsRefusedByTheReceiverAndRetried() {
        try (WebhookReceiver receiver = new WebhookReceiver(ChannelConfigRules.newWebhookSecret())) {
            long channel = webhookChannel(receiver.url(), ChannelConfigRules.newWebhookSecret(), null);
            open(null, "Signed with another key?");
            await().atMost(WAIT).until(() -> !deliveries(channel).isEmpty()
                    && ((Number) deliveries(channel).get(0).get("attempts")).intValue() >= 2);
            assertThat(receiver.invalid()).isNotEmpty();
            assertThat(receiver.accepted()).isEmpty();
            assertThat(deliveries(channel).get(0).get("last_code")).isEqualTo(400);
        }
    }
}
