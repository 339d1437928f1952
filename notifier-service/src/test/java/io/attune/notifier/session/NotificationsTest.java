package io.attune.notifier.session;

import io.attune.core.identity.Identity;
import io.attune.core.identity.Role;
import io.attune.core.inquiry.Inquiry;
import io.attune.model.ws.ClientMessage;
import io.attune.model.ws.SubscriptionFilters;
import io.attune.notifier.NotifierIntegrationTest;
import io.attune.notifier.WsClient;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What a subscribed client receives for each inquiry transition, and how the socket answers its messages. */
@TestPropertySource(properties = "attune.notifier.heartbeat-interval=500ms")
class NotificationsTest extends NotifierIntegrationTest {

    @Test
    void everyActivityArrivesWithTheContractsShape() {
        Identity admin = identity(Role.ADMIN);
        Identity ada = identity(Role.USER);
        try (WsClient client = connect(admin)) {
            JsonNode subscribed = client.subscribe(new SubscriptionFilters("inquiry", null, null, null, null), null);
            assertThat(subscribed.get("filters").get("entity_type").asString()).isEqualTo("inquiry");

            Inquiry answered = open(ada.id());
            respond(answered, ada);
            Inquiry cancelled = open(null);
            cancel(cancelled, admin);
            Inquiry expired = open(ada.id());
            timeOut(expired);

            List<JsonNode> received = client.notifications(6);
            assertThat(received).extracting(n -> n.get("entity").asString() + "/" + n.get("activity").asString())
                    .containsExactly(answered.id() + "/created", answered.id() + "/responded",
                            cancelled.id() + "/created", cancelled.id() + "/cancelled",
                            expired.id() + "/created", expired.id() + "/timeout");
            assertThat(ids(received)).containsExactly(
                    eventId(answered, "InquiryCreated"), eventId(answered, "InquiryResponded"),
                    eventId(cancelled, "InquiryCreated"), eventId(cancelled, "InquiryCancelled"),
                    eventId(expired, "InquiryCreated"), eventId(expired, "InquiryTimedOut"));
            assertThat(ids(received)).isSorted();

            JsonNode created = received.get(0);
            assertThat(created.propertyNames()).containsExactlyInAnyOrder("id", "entity_type", "entity", "activity",
                    "content");
            assertThat(created.get("id").isIntegralNumber()).isTrue();
            assertThat(created.get("entity_type").asString()).isEqualTo("inquiry");
            assertThat(created.get("entity").isString()).isTrue();
            assertContent(created.get("content"), answered, ada.id(), "pending");
            assertThat(created.get("content").get("timeout_at").asString()).endsWith("Z");

            JsonNode responded = received.get(1);
            assertContent(responded.get("content"), answered, ada.id(), "responded");
            assertThat(responded.get("content").get("responded_by").asLong()).isEqualTo(ada.id());
            assertThat(responded.toString()).as("the answer itself is never notified").doesNotContain("approved");

            JsonNode cancelledNotification = received.get(3);
            assertContent(cancelledNotification.get("content"), cancelled, null, "cancelled");
            assertThat(cancelledNotification.get("content").has("assigned_to")).isTrue();
            assertThat(cancelledNotification.get("content").get("cancelled_by").asLong()).isEqualTo(admin.id());

            JsonNode timedOut = received.get(5);
            assertContent(timedOut.get("content"), expired, ada.id(), "timeout");
            assertThat(timedOut.get("content").get("timeout_at").asString()).endsWith("Z");
        }
    }

    private static void assertContent(JsonNode content, Inquiry inquiry, Long assignedTo, String status) {
        assertThat(content.get("prompt").asString()).isEqualTo("Approve deployment?");
        if (assignedTo == null) {
            assertThat(content.get("assigned_to").isNull()).isTrue();
        } else {
            assertThat(content.get("assigned_to").asLong()).isEqualTo(assignedTo);
        }
        assertThat(content.get("execution").asLong()).isEqualTo(inquiry.execution());
        assertThat(content.get("status").asString()).isEqualTo(status);
    }

    @Test
    void pingIsAnsweredAndBadMessagesGetAnErrorWithoutClosingTheSocket() {
        try (WsClient client = connect(identity(Role.USER))) {
            client.send(ClientMessage.ping());
            assertThat(client.next().toString()).isEqualTo("{\"type\":\"pong\"}");

            client.sendRaw("{not json");
            assertError(client.next(), "not valid JSON");
            client.sendRaw("[1, 2]");
            assertError(client.next(), "JSON object");
            client.sendRaw("{\"type\": \"dance\"}");
            assertError(client.next(), "unknown message type 'dance'");
            client.sendRaw("{\"type\": \"subscribe\", \"filters\": {\"activity\": \"deleted\"}}");
            assertError(client.next(), "filters.activity must be one of created, responded, timeout, cancelled");
            client.sendRaw("{\"type\": \"subscribe\", \"filters\": {\"user_id\": \"ada\"}}");
            assertError(client.next(), "filters must be an object");
            client.sendRaw("{\"type\": \"subscribe\", \"filters\": 7}");
            assertError(client.next(), "filters must be an object");
            client.sendRaw("{\"type\": \"subscribe\", \"since\": -1}");
            assertError(client.next(), "since must be a non-negative integer");
            client.sendRaw("{\"type\": \"subscribe\", \"since\": \"yesterday\"}");
            assertError(client.next(), "since must be a non-negative integer");

            client.send(ClientMessage.ping());
            assertThat(client.next().get("type").asString()).isEqualTo("pong");
            assertThat(client.isClosed()).isFalse();
        }
    }

    private static void assertError(JsonNode message, String says) {
        assertThat(message.get("type").asString()).as(message.toString()).isEqualTo("error");
        assertThat(message.get("message").asString()).contains(says);
    }

    @Test
    void nothingArrivesBeforeSubscribingOrAfterUnsubscribing() {
        Identity admin = identity(Role.ADMIN);
        try (WsClient client = connect(admin)) {
            Inquiry before = open(null);
            eventId(before, "InquiryCreated");
            try (WsClient witness = connect(admin)) {
                witness.subscribe(SubscriptionFilters.NONE, null);
                Inquiry during = open(null);
                witness.notifications(1);
                assertThat(client.notificationsUntilPong()).isEmpty();

                client.subscribe(SubscriptionFilters.NONE, null);
                Inquiry subscribed = open(null);
                assertThat(client.notifications(1).get(0).get("entity").asString())
                        .isEqualTo(Long.toString(subscribed.id()));

                client.send(ClientMessage.unsubscribe());
                assertThat(client.next().get("type").asString()).isEqualTo("unsubscribed");
                Inquiry after = open(null);
                assertThat(witness.notifications(2)).extracting(n -> n.get("entity").asString())
                        .containsExactly(Long.toString(subscribed.id()), Long.toString(after.id()));
                assertThat(client.notificationsUntilPong()).isEmpty();
                assertThat(during.id()).isLessThan(after.id());
            }
        }
    }

    @Test
    void aSecondSubscribeReplacesTheFilters() {
        Identity admin = identity(Role.ADMIN);
        try (WsClient client = connect(admin)) {
            client.subscribe(new SubscriptionFilters(null, null, "responded", null, null), null);
            client.subscribe(new SubscriptionFilters(null, null, "created", null, null), null);
            Inquiry inquiry = open(null);
            respond(inquiry, admin);
            eventId(inquiry, "InquiryResponded");
            Inquiry marker = open(null);
            List<JsonNode> received = client.notifications(2);
            assertThat(received).extracting(n -> n.get("entity").asString() + "/" + n.get("activity").asString())
                    .containsExactly(inquiry.id() + "/created", marker.id() + "/created");
        }
    }

    @Test
    void anIdleSocketGetsHeartbeatPings() {
        try (WsClient client = connect(identity(Role.USER))) {
            client.subscribe(SubscriptionFilters.NONE, null);
            await().atMost(Duration.ofSeconds(10)).until(() -> client.pings() >= 3);
            assertThat(client.isClosed()).isFalse();
        }
    }

    @Test
    void sessionsAndNotificationsAreMeasured() throws Exception {
        Identity admin = identity(Role.ADMIN);
        try (WsClient client = connect(admin)) {
            client.subscribe(SubscriptionFilters.NONE, null);
            open(null);
            client.notifications(1);
            HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                            .header("Authorization", "Bearer " + token(admin)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).containsPattern("attune_notifier_sessions [1-9]")
                    .containsPattern("attune_notifier_notifications_sent_total [1-9]")
                    .contains("attune_notifier_slow_client_closes_total");
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
        }
    }
}
