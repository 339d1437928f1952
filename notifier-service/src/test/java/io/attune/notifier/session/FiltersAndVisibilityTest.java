package io.attune.notifier.session;

import io.attune.core.identity.Identity;
import io.attune.core.identity.Role;
import io.attune.core.inquiry.Inquiry;
import io.attune.model.ws.SubscriptionFilters;
import io.attune.notifier.NotifierIntegrationTest;
import io.attune.notifier.WsClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Filters are ANDed, and whatever a user asks for, they only receive inquiries assigned to them or to nobody —
 * live and in replay alike.
 */
class FiltersAndVisibilityTest extends NotifierIntegrationTest {

    @Test
    void filtersAreAndedAndUsersOnlySeeTheirOwnAndUnassignedInquiries() {
        Identity admin = identity(Role.ADMIN);
        Identity ada = identity(Role.USER);
        Identity bob = identity(Role.USER);
        long since = lastEventId();

        List<WsClient> clients = new ArrayList<>();
        WsClient adminAll = subscribed(clients, admin, SubscriptionFilters.NONE);
        WsClient adaAll = subscribed(clients, ada, SubscriptionFilters.NONE);
        WsClient bobAll = subscribed(clients, bob, new SubscriptionFilters("inquiry", null, null, null, null));
        WsClient bobAskingForAda = subscribed(clients, bob, new SubscriptionFilters(null, null, null, ada.id(), null));
        WsClient adminResponded = subscribed(clients, admin, new SubscriptionFilters(null, null, "responded", null, null));
        WsClient adminForBob = subscribed(clients, admin, new SubscriptionFilters(null, null, null, bob.id(), null));
        WsClient adminExecutions = subscribed(clients, admin, new SubscriptionFilters("execution", null, null, null, null));
        try {
            Inquiry forAda = open(ada.id());
            Inquiry forBob = open(bob.id());
            Inquiry forNobody = open(null);
            // these know the ids only now: they subscribe from "since" so that they miss nothing either way
            WsClient adminEntity = subscribed(clients, admin, new SubscriptionFilters(null,
                    Long.toString(forAda.id()), null, null, null), since);
            WsClient adminExecutionAndActivity = subscribed(clients, admin, new SubscriptionFilters("inquiry", null,
                    "responded", null, forBob.execution()), since);
            WsClient adaEntityOfBob = subscribed(clients, ada, new SubscriptionFilters(null,
                    Long.toString(forBob.id()), null, null, null), since);
            respond(forAda, ada);
            respond(forBob, bob);
            cancel(forNobody, admin);
            Inquiry marker = open(null);

            String a = "A" + forAda.id();
            String b = "B" + forBob.id();
            String u = "U" + forNobody.id();
            String m = "M" + marker.id();
            assertThat(seen(adminAll, 7, forAda, forBob, forNobody, marker)).containsExactly(
                    a + "/created", b + "/created", u + "/created", a + "/responded", b + "/responded",
                    u + "/cancelled", m + "/created");
            assertThat(seen(adaAll, 5, forAda, forBob, forNobody, marker)).containsExactly(
                    a + "/created", u + "/created", a + "/responded", u + "/cancelled", m + "/created");
            assertThat(seen(bobAll, 5, forAda, forBob, forNobody, marker)).containsExactly(
                    b + "/created", u + "/created", b + "/responded", u + "/cancelled", m + "/created");
            // everything above has been dispatched: what these did not get by now, they never will
            assertThat(bobAskingForAda.notificationsUntilPong()).isEmpty();
            assertThat(adaEntityOfBob.notificationsUntilPong()).isEmpty();
            assertThat(adminExecutions.notificationsUntilPong()).isEmpty();
            assertThat(labels(adminResponded.notificationsUntilPong(), forAda, forBob, forNobody, marker))
                    .containsExactly(a + "/responded", b + "/responded");
            assertThat(labels(adminForBob.notificationsUntilPong(), forAda, forBob, forNobody, marker))
                    .containsExactly(b + "/created", b + "/responded");
            assertThat(labels(adminEntity.notificationsUntilPong(), forAda, forBob, forNobody, marker))
                    .containsExactly(a + "/created", a + "/responded");
            assertThat(labels(adminExecutionAndActivity.notificationsUntilPong(), forAda, forBob, forNobody, marker))
                    .containsExactly(b + "/responded");

            // replay applies the same rules
            assertThat(labels(replay(bob, SubscriptionFilters.NONE, since), forAda, forBob, forNobody, marker))
                    .containsExactly(b + "/created", u + "/created", b + "/responded", u + "/cancelled",
                            m + "/created");
            assertThat(replay(bob, new SubscriptionFilters(null, null, null, ada.id(), null), since)).isEmpty();
            assertThat(replay(bob, new SubscriptionFilters(null, Long.toString(forAda.id()), null, null, null),
                    since)).isEmpty();
            assertThat(labels(replay(admin, new SubscriptionFilters("inquiry", "00" + forAda.id(), "responded",
                    ada.id(), forAda.execution()), since), forAda, forBob, forNobody, marker))
                    .containsExactly(a + "/responded");
            assertThat(replay(admin, new SubscriptionFilters("execution", null, null, null, null), since)).isEmpty();
            assertThat(replay(admin, new SubscriptionFilters(null, "not-a-number", null, null, null), since)).isEmpty();
        } finally {
            clients.forEach(WsClient::close);
        }
    }

    private WsClient subscribed(List<WsClient> clients, Identity who, SubscriptionFilters filters) {
        return subscribed(clients, who, filters, null);
    }

    private WsClient subscribed(List<WsClient> clients, Identity who, SubscriptionFilters filters, Long since) {
        WsClient client = connect(who);
        clients.add(client);
        client.subscribe(filters, since);
        return client;
    }

    private List<JsonNode> replay(Identity who, SubscriptionFilters filters, long since) {
        try (WsClient client = connect(who)) {
            client.subscribe(filters, since);
            return client.notificationsUntilPong();
        }
    }

    private static List<String> seen(WsClient client, int count, Inquiry... inquiries) {
        return labels(client.notifications(count), inquiries);
    }

    /** "A12/created": which of the test's inquiries (by letter) and what happened. */
    private static List<String> labels(List<JsonNode> notifications, Inquiry... inquiries) {
        String letters = "ABUM";
        return notifications.stream().map(n -> {
            long entity = Long.parseLong(n.get("entity").asString());
            String letter = Stream.iterate(0, i -> i + 1).limit(inquiries.length)
                    .filter(i -> inquiries[i].id() == entity).map(i -> String.valueOf(letters.charAt(i)))
                    .findFirst().orElse("?");
            return letter + entity + "/" + n.get("activity").asString();
        }).toList();
    }

    private long lastEventId() {
        return jdbc.sql("SELECT coalesce(max(id), 0) FROM attune.event").query(Long.class).single();
    }
}
