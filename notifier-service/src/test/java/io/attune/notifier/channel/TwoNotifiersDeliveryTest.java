package io.attune.notifier.channel;

import io.attune.core.channel.ChannelConfigRules;
import io.attune.core.identity.Identity;
import io.attune.core.identity.Role;
import io.attune.core.inquiry.Inquiry;
import io.attune.model.json.Json;
import io.attune.testsupport.WebhookReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.TestPropertySource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two notifiers share the deliveries: the test's own and a second one started here on the same database. Each takes
 * at most two deliveries at a time, so that both take part; every delivery is made exactly once, in one try.
 */
@TestPropertySource(properties = {"attune.channels.poll-interval=50ms", "attune.channels.sender-threads=2",
        "attune.channels.batch=5", "attune.channels.retry-initial=200ms", "attune.channels.retry-max=1s",
        "attune.channels.timeout=1s", "attune.channels.lease=3s"})
class TwoNotifiersDeliveryTest extends ChannelTestSupport {
    private static ConfigurableApplicationContext replica;

    private void startReplica() {
        if (replica == null) {
            replica = startNotifier(Map.of("attune.channels.poll-interval", "50ms",
                    "attune.channels.sender-threads", "2", "attune.channels.batch", "5",
                    "attune.channels.timeout", "1s", "attune.channels.lease", "3s"));
        }
    }

    @AfterAll
    static void stopReplica() {
        if (replica != null) {
            replica.close();
        }
    }

    @Test
    void everyDeliveryHappensOnceAcrossTwoNotifiers() {
        startReplica();
        String secret = ChannelConfigRules.newWebhookSecret();
        Identity ada = identity(Role.USER);
        try (WebhookReceiver receiver = new WebhookReceiver(secret)) {
            long first = webhookChannel(receiver.url(), secret, null);
            long second = webhookChannel(receiver.url(), secret, Json.tree("{\"activity\": [\"responded\"]}"));
            List<Inquiry> inquiries = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                Inquiry inquiry = open(ada.id(), "Release " + i + "?");
                respond(inquiry, ada);
                inquiries.add(inquiry);
            }
            // 30 created + 30 responded to the first channel, 30 responded to the second
            await().atMost(WAIT.multipliedBy(3)).until(() -> receiver.accepted().size() == 90);
            await().atMost(WAIT).until(() -> jdbc.sql("SELECT count(*) FROM attune.delivery WHERE channel_id IN (?, ?) "
                    + "AND status = 'delivered'").params(first, second).query(Long.class).single() == 90);

            assertThat(receiver.invalid()).isEmpty();
            assertThat(receiver.received()).hasSize(90);
            assertThat(receiver.accepted().values()).containsOnly(1);
            List<Map<String, Object>> tries = jdbc.sql("SELECT a.delivery_id, a.attempt, a.replica FROM "
                    + "attune.delivery_attempt a JOIN attune.delivery d ON d.id = a.delivery_id "
                    + "WHERE d.channel_id IN (?, ?)").params(first, second).query().listOfRows();
            assertThat(tries).hasSize(90).extracting(t -> t.get("attempt")).containsOnly(1);
            Set<String> replicas = tries.stream().map(t -> t.get("replica").toString()).collect(Collectors.toSet());
            assertThat(replicas).as("both notifiers sent some").hasSize(2);
            List<Long> inquiryIds = receiver.acceptedRequests().stream()
                    .map(r -> Json.tree(r.body()).at("/data/inquiry/id").asLong()).distinct().toList();
            assertThat(inquiryIds).containsExactlyInAnyOrderElementsOf(inquiries.stream().map(Inquiry::id).toList());
        }
    }

    @Test
    void aTryWhoseReplicaDiedIsMadeAgainAfterItsLeaseWithTheSameId() {
        String secret = ChannelConfigRules.newWebhookSecret();
        try (WebhookReceiver receiver = new WebhookReceiver(secret)) {
            long channel = webhookChannel(receiver.url(), secret, null);
            // a delivery exactly as a claim leaves it, claimed by a replica that died before it sent or recorded
            String messageId = "msg_" + UUID.randomUUID().toString().replace("-", "");
            long id = jdbc.sql("INSERT INTO attune.delivery (message_id, event_id, channel_id, target_key, event_type, "
                            + "message, status, attempts, next_attempt_at, give_up_at, claim, claimed_by, lease_until) "
                            + "VALUES (?, -1, ?, 'crash-test', 'inquiry.created', ?::jsonb, 'pending', 1, "
                            + "now() + interval '2 seconds', now() + interval '1 hour', gen_random_uuid(), 'dead', "
                            + "now() + interval '2 seconds') RETURNING id")
                    .params(messageId, channel, "{\"type\": \"inquiry.created\", \"timestamp\": \"2026-01-15T10:30:00Z\", "
                            + "\"data\": {\"inquiry\": {\"id\": 0}, \"links\": {}}}")
                    .query(Long.class).single();
            jdbc.sql("INSERT INTO attune.delivery_attempt (delivery_id, attempt, status, replica) "
                    + "VALUES (?, 1, 'sending', 'dead')").param(id).update();

            await().atMost(WAIT).until(() -> receiver.accepted().containsKey(messageId));
            await().atMost(WAIT).until(() -> "delivered".equals(deliveries(channel).get(0).get("status")));
            assertThat(receiver.received()).extracting(WebhookReceiver.Received::id).containsExactly(messageId);
            List<Map<String, Object>> tries = tries(id);
            assertThat(tries).hasSize(2);
            assertThat(tries.get(0)).containsEntry("status", "failed").containsEntry("error", DeliveryStore.LOST);
            assertThat(tries.get(1)).containsEntry("status", "delivered").containsEntry("attempt", 2);
        }
    }
}
