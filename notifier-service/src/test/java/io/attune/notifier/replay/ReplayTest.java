package io.attune.notifier.replay;

import io.attune.testsupport.StoredEvents;
import io.attune.core.identity.Identity;
import io.attune.core.identity.Role;
import io.attune.core.inquiry.Inquiry;
import io.attune.model.ws.SubscriptionFilters;
import io.attune.notifier.NotifierIntegrationTest;
import io.attune.notifier.WsClient;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A client that reconnects with {@code since} misses nothing and sees nothing twice. */
@TestPropertySource(properties = "attune.notifier.replay-limit=150")
class ReplayTest extends NotifierIntegrationTest {

    @Test
    void aClientThatMissedAHundredEventsGetsThemInOrderThenLiveOnes() {
        Identity ada = identity(Role.USER);
        Identity bob = identity(Role.USER);
        long lastSeen;
        try (WsClient client = connect(ada)) {
            client.subscribe(SubscriptionFilters.NONE, null);
            open(null);
            lastSeen = client.notifications(1).get(0).get("id").asLong();
        }

        List<Inquiry> forAda = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Inquiry inquiry = open(i % 2 == 0 ? ada.id() : null);
            if (i % 5 == 0) {
                open(bob.id()); // never for ada
            }
            respond(inquiry, ada);
            forAda.add(inquiry);
        }
        List<Long> created = eventIds(forAda, "InquiryCreated");
        List<Long> responded = eventIds(forAda, "InquiryResponded");
        List<Long> missed = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            missed.add(created.get(i));
            missed.add(responded.get(i));
        }

        try (WsClient client = connect(ada)) {
            JsonNode subscribed = client.subscribe(SubscriptionFilters.NONE, lastSeen);
            assertThat(subscribed.get("since").asLong()).isEqualTo(lastSeen);
            List<JsonNode> replayed = client.notifications(100);
            assertThat(ids(replayed)).containsExactlyElementsOf(missed);
            assertThat(replayed).allSatisfy(n -> assertThat(n.get("content").get("assigned_to").isNull()
                    || n.get("content").get("assigned_to").asLong() == ada.id()).isTrue());

            List<Long> live = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                live.add(eventId(open(ada.id()), "InquiryCreated"));
            }
            assertThat(ids(client.notifications(3))).containsExactlyElementsOf(live);
            assertThat(client.notificationsUntilPong()).isEmpty();
        }
    }

    @Test
    void theSeamBetweenReplayAndLiveHasNoGapAndNoDuplicate() throws Exception {
        Identity admin = identity(Role.ADMIN);
        long start = jdbc.sql("SELECT coalesce(max(id), 0) FROM attune.event").query(Long.class).single();
        AtomicInteger opened = new AtomicInteger();
        CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 200; i++) {
                open(null);
                opened.incrementAndGet();
            }
        });
        List<WsClient> clients = new ArrayList<>();
        try {
            for (int threshold : new int[]{10, 40, 80, 120}) {
                await().atMost(Duration.ofSeconds(60)).until(() -> opened.get() >= threshold);
                WsClient client = connect(admin);
                clients.add(client);
                client.subscribe(SubscriptionFilters.NONE, start); // while events keep coming (within the 150 window)
            }
            producer.get();
            List<Long> expected = await().atMost(WAIT).until(() -> inquiryEventIds(start), ids -> ids.size() == 200);
            for (WsClient client : clients) {
                assertThat(ids(client.notifications(200, Duration.ofSeconds(60)))).containsExactlyElementsOf(expected);
                assertThat(client.notificationsUntilPong()).isEmpty();
            }
        } finally {
            clients.forEach(WsClient::close);
        }
    }

    @Test
    void aReplayLongerThanTheWindowStopsWithAnErrorThatSaysWhereToContinue() {
        Identity admin = identity(Role.ADMIN);
        Identity carol = identity(Role.USER);
        long start = jdbc.sql("SELECT coalesce(max(id), 0) FROM attune.event").query(Long.class).single();
        List<Inquiry> inquiries = new ArrayList<>();
        for (int i = 0; i < 160; i++) {
            inquiries.add(open(carol.id()));
        }
        List<Long> created = eventIds(inquiries, "InquiryCreated");
        SubscriptionFilters forCarol = new SubscriptionFilters(null, null, null, carol.id(), null);
        try (WsClient client = connect(admin)) {
            client.subscribe(forCarol, start);
            assertThat(ids(client.notifications(150))).containsExactlyElementsOf(created.subList(0, 150));
            JsonNode truncated = client.next();
            assertThat(truncated.get("type").asString()).isEqualTo("error");
            assertThat(truncated.get("since").asLong()).isEqualTo(created.get(149));
            assertThat(truncated.get("message").asString()).isEqualTo("replay truncated after 150 notifications; "
                    + "subscribe again with since=" + created.get(149) + " for the rest");

            long whilePaused = eventId(open(carol.id()), "InquiryCreated");
            Inquiry unrelated = open(null);
            eventId(unrelated, "InquiryCreated");
            assertThat(client.notificationsUntilPong()).as("nothing until the client continues").isEmpty();

            client.subscribe(forCarol, truncated.get("since").asLong());
            List<Long> rest = new ArrayList<>(created.subList(150, 160));
            rest.add(whilePaused);
            assertThat(ids(client.notifications(11))).containsExactlyElementsOf(rest);
            long live = eventId(open(carol.id()), "InquiryCreated");
            assertThat(ids(client.notifications(1))).containsExactly(live);
        }
    }

    @Test
    void anEventThatTheRelayPublishesAgainIsNotifiedOnce() {
        Identity admin = identity(Role.ADMIN);
        try (WsClient client = connect(admin)) {
            client.subscribe(SubscriptionFilters.NONE, null);
            List<Long> first = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                first.add(eventId(open(null), "InquiryCreated"));
            }
            assertThat(ids(client.notifications(5))).containsExactlyElementsOf(first);

            // as after a relay crash between publishing and recording: the same events, same ids, go out again
            jdbc.sql("UPDATE attune.event_relay SET published_through = ?").param(first.get(0) - 1).update();
            await().atMost(WAIT).until(() -> jdbc.sql(StoredEvents.COUNT_UNPUBLISHED)
                    .query(Long.class).single() == 0);
            long marker = eventId(open(null), "InquiryCreated");
            assertThat(ids(client.notifications(1))).containsExactly(marker);
            assertThat(client.notificationsUntilPong()).isEmpty();
        }
    }

    @Test
    void aSinceAheadOfTheTrailDoesNotSwallowNewNotifications() {
        Identity admin = identity(Role.ADMIN);
        try (WsClient client = connect(admin)) {
            client.subscribe(SubscriptionFilters.NONE, 1_000_000_000L); // e.g. the suite's database was replaced
            assertThat(client.notificationsUntilPong()).isEmpty();
            long next = eventId(open(null), "InquiryCreated");
            assertThat(ids(client.notifications(1))).containsExactly(next);
        }
    }
}
