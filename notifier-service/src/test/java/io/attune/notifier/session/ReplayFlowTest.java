package io.attune.notifier.session;

import io.attune.core.identity.Identity;
import io.attune.core.identity.Role;
import io.attune.core.inquiry.Inquiry;
import io.attune.model.json.Json;
import io.attune.model.ws.ClientMessage;
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
 * How replays run: at most {@code replay-buffer} of replayed JSON waits for a client that does not read (the replay
 * reads on as it drains), one replay at a time per session in the order of the subscribes, and every replayed
 * notification is counted.
 */
@TestPropertySource(properties = {"attune.notifier.replay-buffer=64KB", "attune.notifier.send-timeout=90s"})
class ReplayFlowTest extends NotifierIntegrationTest {
    private static final int PROMPT = 48 * 1024;
    @Autowired
    MeterRegistry meters;

    @Test
    void aReplayToAClientThatDoesNotReadHoldsAtMostItsBufferAndCompletesWhenTheClientReads() throws Exception {
        Identity admin = identity(Role.ADMIN);
        long start = lastEventId();
        String prompt = "Approve? " + "y".repeat(PROMPT);
        List<Inquiry> inquiries = new ArrayList<>();
        for (int i = 0; i < 120; i++) { // ~6 MB: more than the socket's buffers take
            inquiries.add(open(null, prompt));
        }
        List<Long> expected = eventIds(inquiries, "InquiryCreated");
        double replayedBefore = meters.get("attune.notifier.notifications.replayed").counter().count();
        try (RawWebSocket stalled = RawWebSocket.open(port, token(admin));
             WsClient healthy = connect(admin)) {
            stalled.sendText(Json.write(ClientMessage.subscribe(SubscriptionFilters.NONE, start)));
            await().atMost(WAIT).until(() -> replayQueued() > 0);
            double most = 0;
            for (int i = 0; i < 30; i++) { // while it waits, the replay never holds more than its buffer + one
                most = Math.max(most, replayQueued());
                Thread.sleep(100);
            }
            assertThat(most).isPositive().isLessThanOrEqualTo(64 * 1024 + PROMPT + 1024);

            // another client subscribes and replays meanwhile, unhindered
            healthy.subscribe(SubscriptionFilters.NONE, expected.get(117));
            assertThat(ids(healthy.notifications(2))).containsExactlyElementsOf(expected.subList(118, 120));

            List<String> texts = stalled.readTexts(121, Duration.ofSeconds(60));
            assertThat(Json.tree(texts.get(0)).get("type").asString()).isEqualTo("subscribed");
            assertThat(texts.subList(1, 121).stream().map(t -> Json.tree(t).get("id").asLong()).toList())
                    .containsExactlyElementsOf(expected);
            await().atMost(WAIT).until(() -> replayQueued() == 0);
            assertThat(meters.get("attune.notifier.notifications.replayed").counter().count())
                    .isEqualTo(replayedBefore + 122);
        }
    }

    @Test
    void subscribesThatFollowEachOtherReplayOneAfterTheOtherInTheirOrder() {
        Identity admin = identity(Role.ADMIN);
        Identity ada = identity(Role.USER);
        Identity bob = identity(Role.USER);
        long start = lastEventId();
        List<Inquiry> forAda = new ArrayList<>();
        List<Inquiry> forBob = new ArrayList<>();
        for (int i = 0; i < 120; i++) { // more than one page of the replay each
            forAda.add(open(ada.id()));
            forBob.add(open(bob.id()));
        }
        List<Long> adas = eventIds(forAda, "InquiryCreated");
        List<Long> bobs = eventIds(forBob, "InquiryCreated");
        SubscriptionFilters toAda = new SubscriptionFilters(null, null, null, ada.id(), null);
        SubscriptionFilters toBob = new SubscriptionFilters(null, null, null, bob.id(), null);
        try (WsClient client = connect(admin)) {
            client.send(ClientMessage.subscribe(toAda, start));
            client.send(ClientMessage.subscribe(toBob, start));
            client.send(ClientMessage.ping());
            JsonNode first = client.next();
            assertThat(first.get("type").asString()).isEqualTo("subscribed");
            assertThat(first.get("filters").get("user_id").asLong()).isEqualTo(ada.id());
            assertThat(ids(client.notifications(120))).containsExactlyElementsOf(adas);
            JsonNode second = client.next();
            assertThat(second.get("type").asString()).isEqualTo("subscribed");
            assertThat(second.get("filters").get("user_id").asLong()).isEqualTo(bob.id());
            assertThat(ids(client.notifications(120))).containsExactlyElementsOf(bobs);
            assertThat(client.next().get("type").asString()).isEqualTo("pong");
        }
    }

    private double replayQueued() {
        return meters.get("attune.notifier.replay.queued").gauge().value();
    }

    private long lastEventId() {
        return jdbc.sql("SELECT coalesce(max(id), 0) FROM attune.event").query(Long.class).single();
    }
}
