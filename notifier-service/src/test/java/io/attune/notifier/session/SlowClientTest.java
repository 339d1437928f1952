package io.attune.notifier.session;

import io.attune.core.identity.Identity;
import io.attune.core.identity.Role;
import io.attune.core.inquiry.Inquiry;
import io.attune.model.json.Json;
import io.attune.model.ws.SubscriptionFilters;
import io.attune.notifier.NotifierIntegrationTest;
import io.attune.notifier.WsClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that stops reading fills its own buffer and is closed as too slow (4008); the others are not held up.
 * The buffer is small here (10) and the send timeout long (90 s), so that only the buffer can end the stalled
 * session — and a healthy client that had to wait for the stalled one would miss the generous 30 s bound.
 */
@TestPropertySource(properties = {"attune.notifier.session-buffer=10", "attune.notifier.send-timeout=90s"})
class SlowClientTest extends NotifierIntegrationTest {
    private static final int EVENTS = 120;

    @Autowired
    MeterRegistry meters;
    @Autowired
    SessionRegistry sessions;

    @Test
    void aStalledClientIsClosedAsTooSlowWithoutDelayingAHealthyOne() throws Exception {
        Identity admin = identity(Role.ADMIN);
        double slowClosesBefore = meters.get("attune.notifier.slow.client.closes").counter().count();
        // about 96 KB a notification: the stalled client's TCP buffers are full after a few dozen
        String prompt = "Approve the deployment described below? " + "x".repeat(96 * 1024);
        try (RawWebSocket stalled = RawWebSocket.open(port, token(admin));
             WsClient healthy = connect(admin)) {
            stalled.sendText("{\"type\":\"subscribe\"}"); // and then it never reads
            healthy.subscribe(SubscriptionFilters.NONE, null);
            await().atMost(WAIT).until(() -> sessions.size() == 2);

            List<Inquiry> inquiries = new ArrayList<>();
            for (int i = 0; i < EVENTS; i++) {
                inquiries.add(open(null, prompt));
            }
            List<Long> expected = eventIds(inquiries, "InquiryCreated");

            List<JsonNode> received = healthy.notifications(EVENTS, Duration.ofSeconds(30));
            assertThat(ids(received)).containsExactlyElementsOf(expected);
            assertThat(received.get(EVENTS - 1).get("content").get("prompt").asString()).isEqualTo(prompt);
            assertThat(meters.get("attune.notifier.slow.client.closes").counter().count())
                    .isEqualTo(slowClosesBefore + 1);
            assertThat(meters.get("attune.notifier.notifications.sent").counter().count())
                    .isGreaterThanOrEqualTo(EVENTS);

            // When it reads again it gets what was already on its way, then the close with where to continue from.
            RawWebSocket.Transcript transcript = stalled.readUntilClose(Duration.ofSeconds(60));
            assertThat(transcript.closeCode()).isEqualTo(CloseCodes.TOO_SLOW);
            assertThat(Json.tree(transcript.texts().get(0)).get("type").asString()).isEqualTo("subscribed");
            List<Long> delivered = transcript.texts().stream().skip(1).map(t -> Json.tree(t).get("id").asLong())
                    .toList();
            assertThat(delivered.size()).isBetween(1, EVENTS - 1);
            assertThat(delivered).containsExactlyElementsOf(expected.subList(0, delivered.size()));
            long lastDelivered = delivered.get(delivered.size() - 1);
            assertThat(transcript.closeReason()).isEqualTo("too slow: reconnect with since=" + lastDelivered);
            await().atMost(WAIT).until(() -> sessions.size() == 1);

            // ... and reconnecting with since brings the rest
            try (WsClient again = connect(admin)) {
                again.subscribe(SubscriptionFilters.NONE, lastDelivered);
                assertThat(ids(again.notifications(EVENTS - delivered.size())))
                        .containsExactlyElementsOf(expected.subList(delivered.size(), EVENTS));
            }
        }
    }
}
