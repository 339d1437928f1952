package io.attune.notifier.session;

import io.attune.core.identity.Identity;
import io.attune.core.identity.Role;
import io.attune.model.json.Json;
import io.attune.model.ws.ClientMessage;
import io.attune.model.ws.SubscriptionFilters;
import io.attune.notifier.NotifierIntegrationTest;
import io.attune.notifier.WsClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What one client may do: subscribe in bursts of 5 then once a second, let 20 messages wait, hold 3 sockets per
 * identity. Beyond that it is closed with 4029 and a reason that says which limit — and nobody else notices.
 */
@TestPropertySource(properties = {"attune.notifier.subscribe-burst=5", "attune.notifier.subscribes-per-second=1",
        "attune.notifier.pending-messages=20", "attune.notifier.max-sockets-per-identity=3",
        "attune.notifier.replay-buffer=64KB", "attune.notifier.send-timeout=90s"})
class LimitsTest extends NotifierIntegrationTest {
    @Autowired
    MeterRegistry meters;
    @Autowired
    SessionRegistry sessions;

    @Test
    void aSubscribeFloodIsClosedWith4029WhileAnotherClientKeepsGettingItsNotifications() {
        Identity flooder = identity(Role.ADMIN);
        Identity bystander = identity(Role.ADMIN);
        double floodClosesBefore = meters.get("attune.notifier.flood.closes").counter().count();
        try (WsClient flood = connect(flooder); WsClient other = connect(bystander)) {
            other.subscribe(SubscriptionFilters.NONE, null);
            for (int i = 0; i < 5; i++) { // the burst is fine
                flood.subscribe(SubscriptionFilters.NONE, null);
            }
            for (int i = 0; i < 200 && !flood.isClosed(); i++) {
                try {
                    flood.send(ClientMessage.subscribe(SubscriptionFilters.NONE, 0L));
                } catch (RuntimeException closedMeanwhile) {
                    break;
                }
            }
            WsClient.Closed closed = flood.awaitClose(WAIT);
            assertThat(closed.code()).isEqualTo(CloseCodes.TOO_MANY);
            assertThat(closed.reason()).isEqualTo("too many subscribes: at most 5 at once and 1 per second after that");
            assertThat(meters.get("attune.notifier.flood.closes").counter().count()).isEqualTo(floodClosesBefore + 1);

            long live = eventId(open(null), "InquiryCreated");
            assertThat(ids(other.notifications(1, Duration.ofSeconds(10)))).containsExactly(live);
            assertThat(other.isClosed()).isFalse();
        }
    }

    @Test
    void subscribesWithinTheAllowanceAreAllAnsweredInOrder() throws Exception {
        Identity admin = identity(Role.ADMIN);
        try (WsClient client = connect(admin)) {
            for (int i = 0; i < 8; i++) { // 5 at once, then one a second
                client.subscribe(new SubscriptionFilters(null, null, null, (long) i, null), null);
                if (i >= 4) {
                    Thread.sleep(1_050);
                }
            }
            assertThat(client.isClosed()).isFalse();
        }
    }

    @Test
    void anIdentityHoldsAtMostItsCapOfSocketsAndAnotherIdentityIsNotAffected() {
        Identity ada = identity(Role.USER);
        Identity bob = identity(Role.USER);
        double capClosesBefore = meters.get("attune.notifier.identity.cap.closes").counter().count();
        List<WsClient> adas = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                WsClient client = connect(ada);
                client.subscribe(SubscriptionFilters.NONE, null);
                adas.add(client);
            }
            try (WsClient fourth = connect(ada)) {
                WsClient.Closed closed = fourth.awaitClose(WAIT);
                assertThat(closed.code()).isEqualTo(CloseCodes.TOO_MANY);
                assertThat(closed.reason()).isEqualTo("too many open sockets for this identity: at most 3");
            }
            assertThat(meters.get("attune.notifier.identity.cap.closes").counter().count())
                    .isEqualTo(capClosesBefore + 1);
            assertThat(sessions.openSocketsOf(ada.id())).isEqualTo(3);
            try (WsClient bobs = connect(bob)) {
                bobs.subscribe(SubscriptionFilters.NONE, null);
            }

            adas.remove(0).close(); // one closes: there is room again
            await().atMost(WAIT).until(() -> sessions.openSocketsOf(ada.id()) == 2);
            WsClient again = connect(ada);
            adas.add(again);
            again.subscribe(SubscriptionFilters.NONE, null);
            long live = eventId(open(ada.id()), "InquiryCreated");
            for (WsClient client : adas) {
                assertThat(ids(client.notifications(1))).containsExactly(live);
            }
        } finally {
            adas.forEach(WsClient::close);
        }
    }

    @Test
    void aClientWhoseMessagesPileUpBehindItsReplayIsClosedWith4029() throws Exception {
        Identity admin = identity(Role.ADMIN);
        long start = jdbc.sql("SELECT coalesce(max(id), 0) FROM attune.event").query(Long.class).single();
        String prompt = "Approve? " + "x".repeat(96 * 1024);
        List<io.attune.core.inquiry.Inquiry> inquiries = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            inquiries.add(open(null, prompt));
        }
        eventIds(inquiries, "InquiryCreated");
        try (RawWebSocket stalled = RawWebSocket.open(port, token(admin))) {
            stalled.sendText(Json.write(ClientMessage.subscribe(SubscriptionFilters.NONE, start)));
            // the replay fills the socket's buffers and waits for the client, which reads nothing
            await().atMost(WAIT).until(() -> replayQueued() > 0);
            Thread.sleep(500);
            for (int i = 0; i < 25; i++) {
                stalled.sendText("{\"type\":\"ping\"}");
            }
            RawWebSocket.Transcript transcript = stalled.readUntilClose(Duration.ofSeconds(60));
            assertThat(transcript.closeCode()).isEqualTo(CloseCodes.TOO_MANY);
            assertThat(transcript.closeReason()).isEqualTo("too many messages waiting to be handled: at most 20");
            assertThat(transcript.texts()).noneMatch(t -> t.contains("pong"));
        }
    }

    private double replayQueued() {
        return meters.get("attune.notifier.replay.queued").gauge().value();
    }
}
