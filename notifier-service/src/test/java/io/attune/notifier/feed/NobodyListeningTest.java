package io.attune.notifier.feed;

import io.attune.core.identity.Identity;
import io.attune.core.identity.Role;
import io.attune.core.inquiry.Inquiry;
import io.attune.model.ws.SubscriptionFilters;
import io.attune.notifier.NotifierIntegrationTest;
import io.attune.notifier.WsClient;
import io.attune.notifier.notification.FeedProgress;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With no WebSocket open, the feed passes events on without reading them (most of a busy suite's events reach a
 * notifier nobody watches). Nothing is lost by it: a client that connects afterwards replays them from the trail, and
 * later events about the same inquiry still carry its prompt and execution, read from the table instead of the feed.
 */
class NobodyListeningTest extends NotifierIntegrationTest {
    @Autowired
    MeterRegistry meters;
    @Autowired
    FeedProgress progress;

    @Test
    void eventsPassedWithNobodyConnectedAreReplayedAndLaterOnesStillCarryTheirInquiry() {
        Identity admin = identity(Role.ADMIN);
        await().atMost(WAIT).until(() -> meters.get("attune.notifier.sessions").gauge().value() == 0);
        double unreadBefore = unread();

        Inquiry unwatched = open(admin.id(), "Approve deployment?");
        long created = eventId(unwatched, "InquiryCreated");
        await().atMost(WAIT).until(() -> progress.dispatchedThrough() >= created);
        assertThat(unread()).as("the event passed without being read").isGreaterThan(unreadBefore);

        try (WsClient client = connect(admin)) {
            client.subscribe(SubscriptionFilters.NONE, created - 1);
            List<JsonNode> replayed = client.notificationsThrough(created, WAIT);
            JsonNode replayedCreated = replayed.get(replayed.size() - 1);
            assertThat(replayedCreated.get("activity").asString()).isEqualTo("created");
            assertThat(replayedCreated.get("content").get("prompt").asString()).isEqualTo("Approve deployment?");

            respond(unwatched, admin);
            long responded = eventId(unwatched, "InquiryResponded");
            List<JsonNode> live = client.notificationsThrough(responded, WAIT);
            JsonNode respondedNotification = live.get(live.size() - 1);
            assertThat(respondedNotification.get("activity").asString()).isEqualTo("responded");
            JsonNode content = respondedNotification.get("content");
            assertThat(content.get("prompt").asString()).isEqualTo("Approve deployment?");
            assertThat(content.get("execution").asLong()).isEqualTo(unwatched.execution());
            assertThat(content.get("assigned_to").asLong()).isEqualTo(admin.id());
        }
    }

    @Test
    void aBacklogOfAnswersToUnwatchedInquiriesEachCarriesItsOwnInquiry() {
        Identity admin = identity(Role.ADMIN);
        await().atMost(WAIT).until(() -> meters.get("attune.notifier.sessions").gauge().value() == 0);
        List<Inquiry> unwatched = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            unwatched.add(open(null, "Approve change " + i + "?"));
        }
        long lastCreated = eventIds(unwatched, "InquiryCreated").get(unwatched.size() - 1);
        await().atMost(WAIT).until(() -> progress.dispatchedThrough() >= lastCreated);

        try (WsClient client = connect(admin)) {
            client.subscribe(SubscriptionFilters.NONE, null);
            // answered in one transaction: their events reach the feed together, and their facts are read together
            transactions.executeWithoutResult(status -> unwatched.forEach(inquiry -> respond(inquiry, admin)));
            List<Long> responded = eventIds(unwatched, "InquiryResponded");
            List<JsonNode> notifications = client.notificationsThrough(responded.get(responded.size() - 1), WAIT);
            assertThat(ids(notifications)).containsExactlyElementsOf(responded);
            for (int i = 0; i < unwatched.size(); i++) {
                JsonNode content = notifications.get(i).get("content");
                assertThat(content.get("prompt").asString()).isEqualTo("Approve change " + i + "?");
                assertThat(content.get("execution").asLong()).isEqualTo(unwatched.get(i).execution());
            }
        }
    }

    private double unread() {
        return meters.get("attune.notifier.feed.unread").counter().count();
    }
}
