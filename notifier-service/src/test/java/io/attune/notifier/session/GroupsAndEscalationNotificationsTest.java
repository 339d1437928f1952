package io.attune.notifier.session;

import io.attune.core.identity.GroupRepository;
import io.attune.core.identity.Identity;
import io.attune.core.identity.Role;
import io.attune.core.inquiry.Inquiry;
import io.attune.model.json.Json;
import io.attune.model.ws.SubscriptionFilters;
import io.attune.notifier.NotifierIntegrationTest;
import io.attune.notifier.WsClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Notifications of group-assigned inquiries reach the group's members only; an escalation is told to those who can
 * see the inquiry now and to those it was taken from; replay judges by the inquiry's current assignment.
 */
class GroupsAndEscalationNotificationsTest extends NotifierIntegrationTest {
    @Autowired
    GroupRepository groups;
    @Autowired
    io.attune.notifier.replay.EventTrail trail;

    @Test
    void groupMembersAreToldAndAnEscalationReachesOldAndNewAssignees() {
        Identity ada = identity(Role.USER);
        Identity bob = identity(Role.USER);
        Identity cyd = identity(Role.USER);
        String sre = groupOf(ada);
        long since = lastEventId();

        try (WsClient adaWs = connect(ada); WsClient bobWs = connect(bob); WsClient cydWs = connect(cyd)) {
            for (WsClient client : List.of(adaWs, bobWs, cydWs)) {
                client.subscribe(SubscriptionFilters.NONE, null);
            }
            Inquiry inquiry = openChecked("{\"prompt\": \"Deploy?\", \"assigned_to\": {\"group\": \"" + sre
                    + "\"}, \"escalation\": [{\"after_seconds\": 60, \"assign_to\": {\"user\": " + cyd.id() + "}}]}");
            JsonNode created = adaWs.notifications(1).get(0);
            assertThat(created.get("activity").asString()).isEqualTo("created");
            assertThat(created.get("content").get("assigned_to").get("group").asString()).isEqualTo(sre);

            jdbc.sql("UPDATE attune.inquiry SET escalate_at = now() - interval '1 second' WHERE id = ?")
                    .param(inquiry.id()).update();
            assertThat(inquiryTransitions.escalateDue(100, null)).isEqualTo(1);
            for (WsClient told : List.of(adaWs, cydWs)) {
                JsonNode escalated = told.notifications(1).get(0);
                assertThat(escalated.get("entity").asString()).isEqualTo(Long.toString(inquiry.id()));
                assertThat(escalated.get("activity").asString()).isEqualTo("escalated");
                assertThat(escalated.get("content").get("status").asString()).isEqualTo("pending");
                assertThat(escalated.get("content").get("assigned_to").get("user").asLong()).isEqualTo(cyd.id());
                assertThat(escalated.get("content").get("escalation").get("step").asInt()).isEqualTo(1);
                assertThat(escalated.get("content").get("escalation").get("previous_assigned_to").get("group")
                        .asString()).isEqualTo(sre);
            }
            respond(inquiry, cyd);
            assertThat(cydWs.notifications(1).get(0).get("activity").asString()).isEqualTo("responded");
            // everything is dispatched by now: ada no longer sees it, bob never did
            assertThat(adaWs.notificationsUntilPong()).isEmpty();
            assertThat(bobWs.notificationsUntilPong()).isEmpty();

            var direct = trail.after(since, null, new io.attune.notifier.notification.Subscription(SubscriptionFilters.NONE,
                    identities.findById(cyd.id()).orElseThrow().actor()), 100);
            assertThat(direct).extracting(io.attune.model.ws.Notification::activity)
                    .containsExactly("created", "escalated", "responded");
            assertThat(activities(replay(cyd, since))).containsExactly("created", "escalated", "responded");
            assertThat(activities(replay(ada, since))).containsExactly("escalated");
            assertThat(replay(bob, since)).isEmpty();
        }
    }

    @Test
    void theUserIdFilterFollowsGroupMembershipLiveAndInReplay() {
        Identity admin = identity(Role.ADMIN);
        Identity ada = identity(Role.USER);
        Identity bob = identity(Role.USER);
        String sre = groupOf(ada);
        long since = lastEventId();
        SubscriptionFilters forAda = new SubscriptionFilters(null, null, "created", ada.id(), null);

        try (WsClient adminWs = connect(admin); WsClient adaWs = connect(ada); WsClient bobWs = connect(bob)) {
            for (WsClient client : List.of(adminWs, adaWs, bobWs)) {
                client.subscribe(forAda, null);
            }
            Inquiry viaGroup = openChecked("{\"prompt\": \"Group\", \"assigned_to\": {\"group\": \"" + sre + "\"}}");
            openChecked("{\"prompt\": \"Bob\", \"assigned_to\": " + bob.id() + "}");
            Inquiry viaList = openChecked("{\"prompt\": \"List\", \"assigned_to\": [{\"user\": " + bob.id()
                    + "}, {\"group\": \"" + sre + "\"}]}");
            Inquiry direct = openChecked("{\"prompt\": \"Ada\", \"assigned_to\": " + ada.id() + "}");
            List<String> adas = List.of(Long.toString(viaGroup.id()), Long.toString(viaList.id()),
                    Long.toString(direct.id()));

            assertThat(entities(adminWs.notifications(3))).containsExactlyElementsOf(adas);
            assertThat(entities(adaWs.notifications(3))).containsExactlyElementsOf(adas);
            // bob shares only the list with ada
            assertThat(entities(bobWs.notifications(1))).containsExactly(Long.toString(viaList.id()));
            for (WsClient client : List.of(adminWs, adaWs, bobWs)) {
                assertThat(client.notificationsUntilPong()).isEmpty();
            }
            assertThat(entities(replay(admin, forAda, since))).containsExactlyElementsOf(adas);
            assertThat(entities(replay(ada, forAda, since))).containsExactlyElementsOf(adas);
            assertThat(entities(replay(bob, forAda, since))).containsExactly(Long.toString(viaList.id()));
        }
    }

    private List<JsonNode> replay(Identity who, SubscriptionFilters filters, long since) {
        try (WsClient client = connect(who)) {
            client.subscribe(filters, since);
            return client.notificationsUntilPong();
        }
    }

    private static List<String> entities(List<JsonNode> notifications) {
        return notifications.stream().map(n -> n.get("entity").asString()).toList();
    }

    /** A new group with this one member. */
    private String groupOf(Identity member) {
        String name = "n-" + UUID.randomUUID().toString().substring(0, 8);
        groups.replaceMembers(groups.create(name), List.of(member.id()));
        return name;
    }

    private long lastEventId() {
        return jdbc.sql("SELECT coalesce(max(id), 0) FROM attune.event").query(Long.class).single();
    }

    private List<JsonNode> replay(Identity who, long since) {
        return replay(who, SubscriptionFilters.NONE, since);
    }

    private static List<String> activities(List<JsonNode> notifications) {
        return notifications.stream().map(n -> n.get("activity").asString()).toList();
    }
}
