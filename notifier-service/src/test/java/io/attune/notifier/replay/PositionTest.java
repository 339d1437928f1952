package io.attune.notifier.replay;

import io.attune.testsupport.StoredEvents;
import io.attune.core.event.EventPruner;
import io.attune.core.event.RetentionSettings;
import io.attune.core.identity.Identity;
import io.attune.core.identity.Role;
import io.attune.core.inquiry.Inquiry;
import io.attune.model.ws.SubscriptionFilters;
import io.attune.notifier.NotifierIntegrationTest;
import io.attune.notifier.WsClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code subscribed} reply says where the trail stood ({@code position}), so that a client that has seen nothing
 * yet can still resume without a gap; a {@code since} older than the retained trail is told what it lost.
 */
class PositionTest extends NotifierIntegrationTest {
    @Autowired
    DataSource dataSource;
    @Autowired
    MeterRegistry meters;

    @Test
    void subscribedCarriesTheNewestEventIdOfTheTrail() {
        Identity admin = identity(Role.ADMIN);
        long newest = eventId(open(null), "InquiryCreated");
        try (WsClient client = connect(admin)) {
            JsonNode live = client.subscribe(SubscriptionFilters.NONE, null);
            assertThat(live.get("position").asLong()).isEqualTo(lastEventId()).isGreaterThanOrEqualTo(newest);
            assertThat(live.has("since")).isFalse();
            assertThat(live.has("expired_through")).isFalse();

            JsonNode replaying = client.subscribe(SubscriptionFilters.NONE, newest - 1);
            assertThat(replaying.get("position").asLong()).isEqualTo(lastEventId());
            assertThat(replaying.get("since").asLong()).isEqualTo(newest - 1);
        }
    }

    @Test
    void aClientThatSawNothingResumesFromItsPositionAndGetsEveryAnswerGivenMeanwhile() {
        Identity ada = identity(Role.USER);
        long position;
        try (WsClient client = connect(ada)) {
            position = client.subscribe(SubscriptionFilters.NONE, null).get("position").asLong();
            assertThat(client.notificationsUntilPong()).isEmpty(); // nothing happened: no id to resume from but this
        }
        List<Inquiry> answered = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Inquiry inquiry = open(ada.id());
            respond(inquiry, ada);
            answered.add(inquiry);
        }
        List<Long> created = eventIds(answered, "InquiryCreated");
        List<Long> responded = eventIds(answered, "InquiryResponded");
        List<Long> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add(created.get(i));
            expected.add(responded.get(i));
        }
        try (WsClient client = connect(ada)) {
            client.subscribe(SubscriptionFilters.NONE, position);
            assertThat(ids(client.notifications(40))).containsExactlyElementsOf(expected);
            assertThat(client.notificationsUntilPong()).isEmpty();
        }
    }

    @Test
    void aSinceOlderThanTheRetainedTrailIsToldWhichEventsAreGoneThenGetsWhatRemains() throws Exception {
        Identity admin = identity(Role.ADMIN);
        long before = lastEventId();
        List<Inquiry> old = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            old.add(open(null));
        }
        List<Long> oldIds = eventIds(old, "InquiryCreated");
        awaitPublished();
        Thread.sleep(1_100);
        double expiredBefore = meters.get("attune.notifier.replays.expired").counter().count();
        long pruned = new EventPruner(dataSource, new RetentionSettings(Duration.ofSeconds(1), Duration.ofSeconds(1),
                100, true, null), new SimpleMeterRegistry()).prune();
        assertThat(pruned).isGreaterThanOrEqualTo(5);
        long prunedThrough = jdbc.sql("SELECT pruned_through FROM attune.event_retention").query(Long.class).single();
        assertThat(prunedThrough).isGreaterThanOrEqualTo(oldIds.get(4));

        long kept = eventId(open(null), "InquiryCreated");
        try (WsClient client = connect(admin)) {
            JsonNode subscribed = client.subscribe(SubscriptionFilters.NONE, before);
            assertThat(subscribed.get("expired_through").asLong()).isEqualTo(prunedThrough);
            assertThat(subscribed.get("message").asString()).contains("older than the retention (7d)")
                    .contains("since=" + before).contains("cannot be replayed");
            assertThat(ids(client.notifications(1))).containsExactly(kept);
            assertThat(meters.get("attune.notifier.replays.expired").counter().count()).isEqualTo(expiredBefore + 1);

            JsonNode recent = client.subscribe(SubscriptionFilters.NONE, prunedThrough);
            assertThat(recent.has("expired_through")).as("nothing after this since was pruned").isFalse();
            assertThat(ids(client.notifications(1))).containsExactly(kept);
        }
    }

    private void awaitPublished() {
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> jdbc.sql(StoredEvents.COUNT_UNPUBLISHED).query(Long.class).single() == 0);
    }

    private long lastEventId() {
        return jdbc.sql("SELECT coalesce(max(id), 0) FROM attune.event").query(Long.class).single();
    }
}
