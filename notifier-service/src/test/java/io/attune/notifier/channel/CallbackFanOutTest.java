package io.attune.notifier.channel;

import io.attune.core.channel.ChannelConfigRules;
import io.attune.core.identity.Identity;
import io.attune.core.identity.Role;
import io.attune.core.inquiry.Inquiry;
import io.attune.model.json.Json;
import io.attune.testsupport.WebhookReceiver;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With no channel at all, the fan-out still delivers the callbacks of requests from outside (it asks once per batch
 * which inquiries have one, and reads only those), and nothing for the inquiries around them.
 */
@TestPropertySource(properties = {"attune.channels.poll-interval=100ms", "attune.channels.retry-initial=200ms",
        "attune.channels.retry-max=1s", "attune.channels.timeout=1s", "attune.channels.lease=3s"})
class CallbackFanOutTest extends ChannelTestSupport {

    @Test
    void withoutChannelsOnlyTheDecisionsOfRequestsWithACallbackAreDelivered() {
        String secret = ChannelConfigRules.newWebhookSecret();
        Identity ada = identity(Role.USER);
        try (WebhookReceiver receiver = new WebhookReceiver(secret)) {
            Inquiry before = open(ada.id());
            Inquiry called = open(ada.id());
            Inquiry after = open(ada.id());
            jdbc.sql("INSERT INTO attune.external_request (execution, inquiry, requested_by, callback_url, "
                            + "callback_secret) VALUES (?, ?, ?, ?, ?)")
                    .params(called.execution(), called.id(), identity(Role.USER).id(), receiver.url(), secret).update();
            // decided in one burst, so that the fan-out reads them in one batch
            respond(before, ada);
            respond(called, ada);
            respond(after, ada);

            await().atMost(WAIT).until(() -> receiver.acceptedRequests().size() == 1);
            assertThat(receiver.invalid()).isEmpty();
            JsonNode body = Json.tree(receiver.acceptedRequests().get(0).body());
            assertThat(body.get("type").asString()).isEqualTo("inquiry.responded");
            assertThat(body.at("/data/inquiry/id").asLong()).isEqualTo(called.id());
            // the fan-out has passed every event of the three inquiries: nothing was planned for the other two
            long lastEvent = jdbc.sql("SELECT max(id) FROM attune.event WHERE inquiry_id IN (?, ?, ?)")
                    .params(before.id(), called.id(), after.id()).query(Long.class).single();
            await().atMost(WAIT).until(() -> jdbc.sql("SELECT last_event_id FROM attune.channel_dispatch")
                    .query(Long.class).single() >= lastEvent);
            List<Long> planned = jdbc.sql("SELECT inquiry_id FROM attune.delivery WHERE inquiry_id IN (?, ?, ?)")
                    .params(before.id(), called.id(), after.id()).query(Long.class).list();
            assertThat(planned).containsExactly(called.id());
        }
    }
}
