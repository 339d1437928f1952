package io.attune.notifier.feed;

import io.attune.core.identity.Identity;
import io.attune.core.identity.Role;
import io.attune.core.inquiry.Inquiry;
import io.attune.core.messaging.AmqpSettings;
import io.attune.model.json.Json;
import io.attune.model.message.InquiryCreated;
import io.attune.model.message.MessageEnvelope;
import io.attune.model.message.Messages;
import io.attune.model.ws.SubscriptionFilters;
import io.attune.notifier.NotifierIntegrationTest;
import io.attune.notifier.WsClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Anyone who can publish to the broker could send an inquiry event with a made-up {@code event_id}. One beyond the
 * trail's newest must be ignored: taken at its word, the feed would drop every real event below it as "already seen".
 */
class ForgedEventIdTest extends NotifierIntegrationTest {
    @Autowired
    RabbitTemplate rabbit;
    @Autowired
    AmqpSettings amqp;
    @Autowired
    MeterRegistry meters;

    @Test
    void anEventIdBeyondTheTrailIsIgnoredAndRealNotificationsKeepComing() {
        Identity admin = identity(Role.ADMIN);
        try (WsClient client = connect(admin)) {
            client.subscribe(SubscriptionFilters.NONE, null);
            Inquiry real = open(null);
            long realId = eventId(real, "InquiryCreated");
            assertThat(ids(client.notifications(1))).containsExactly(realId);
            double ignoredBefore = meters.get("attune.notifier.feed.ignored.ahead").counter().count();

            for (long forged : new long[]{Long.MAX_VALUE, 9_000_000_000_000L, realId + 1_000}) {
                publishForged(real, forged);
            }
            await().atMost(WAIT).until(() -> meters.get("attune.notifier.feed.ignored.ahead").counter().count()
                    == ignoredBefore + 3);

            Inquiry next = open(null);
            respond(next, admin);
            long created = eventId(next, "InquiryCreated");
            long responded = eventId(next, "InquiryResponded");
            assertThat(ids(client.notifications(2))).containsExactly(created, responded);
            assertThat(client.notificationsUntilPong()).as("the forged prompt reached nobody").isEmpty();
        }
    }

    private void publishForged(Inquiry about, long eventId) {
        MessageEnvelope<InquiryCreated> envelope = MessageEnvelope.of(new InquiryCreated(about.id(), about.execution(),
                        "FORGED: approve everything", Json.object(), null, Instant.now().plusSeconds(3600)), null,
                "api-service")
                .withHeader(MessageEnvelope.EVENT_ID, Long.toString(eventId));
        MessageProperties properties = new MessageProperties();
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        properties.setHeader(MessageEnvelope.EVENT_ID, eventId);
        rabbit.send(amqp.exchange(), envelope.routingKey(), new Message(Messages.write(envelope), properties));
    }
}
