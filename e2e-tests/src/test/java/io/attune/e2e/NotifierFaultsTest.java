package io.attune.e2e;

import io.attune.testsupport.StoredEvents;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import io.attune.model.json.Json;
import io.attune.model.message.InquiryCreated;
import io.attune.model.message.MessageEnvelope;
import io.attune.model.message.Messages;
import io.attune.model.ws.SubscriptionFilters;
import io.attune.testsupport.TcpProxy;
import io.attune.testsupport.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 13's notifier faults on the built jars: api, executor, worker and two notifiers — notifier-2's broker
 * connection runs through a proxy the test cuts (the shared RabbitMQ is never stopped). The event trail is kept one
 * hour and pruned every second.
 *
 * <ol>
 *   <li>retention: a backlog of 30,000 expired events (three times what the former purge removed per ten minutes)
 *       is gone within a minute; a client replaying from before it is told which ids it can no longer get;</li>
 *   <li>a client that subscribed and saw nothing, whose notifier is SIGKILLed and restarted, resumes from the
 *       {@code position} of its {@code subscribed} reply and gets all 20 answers given meanwhile;</li>
 *   <li>a client connected to notifier-2 while its broker connection is cut for 8 s, as 60 answers go in, receives
 *       every one of them, with no further event to trigger the catch-up;</li>
 *   <li>a forged inquiry event with a huge {@code event_id} changes nothing: real notifications keep coming;</li>
 *   <li>a client flooding subscribes is closed with 4029; a client beside it is not held up.</li>
 * </ol>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NotifierFaultsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final Map<String, Object> APPROVAL_SCHEMA = Map.of("type", "object",
            "properties", Map.of("approved", Map.of("type", "boolean")), "required", List.of("approved"));
    private static final int BACKLOG = 30_000;

    private static RunningSuite suite;
    private static TcpProxy brokerOfNotifier2;
    private static Connection database;
    private static String adminToken;
    private static long approverId;
    private static String approverToken;

    @BeforeAll
    static void start() {
        Path packs = TestPacks.create();
        suite = RunningSuite.start(Map.of("ATTUNE_PACKS_DIR", packs.toString(), "ATTUNE_EVENT_RETENTION", "1h",
                "ATTUNE_EVENT_PRUNEINTERVAL", "1s"), "api", "executor", "worker", "notifier");
        brokerOfNotifier2 = new TcpProxy(TestServices.get().amqp().host(), TestServices.get().amqp().port());
        suite.launchAndAwait("notifier-2", "notifier", Map.of("ATTUNE_AMQP_URL",
                TestServices.get().amqp().url(brokerOfNotifier2.host(), brokerOfNotifier2.port())));
        adminToken = suite.adminToken();
        approverId = suite.createIdentity("ada", "ada-password");
        approverToken = suite.login("ada", "ada-password");
        database = suite.database();
    }

    @AfterAll
    static void stop() {
        try {
            if (suite != null) {
                suite.close(); // and its database connection
            }
        } finally {
            if (brokerOfNotifier2 != null) {
                brokerOfNotifier2.close();
            }
        }
    }

    @Test
    @Order(1)
    void aBacklogOfExpiredEventsIsPrunedAndAReplayFromBeforeItIsToldWhatIsGone() throws SQLException {
        long lastExpired;
        try (Statement s = database.createStatement()) {
            // what a long run leaves behind: published two days ago, all before the events the suite will store
            s.executeUpdate("INSERT INTO attune.event (id, message_id, message_type, routing_key, execution_id, "
                    + "envelope, created, sequenced_at) SELECT nextval('attune.event_id_seq'), gen_random_uuid(), "
                    + "'ExecutionRequested', 'execution.requested', g, '{}', now() - interval '2 days', "
                    + "now() - interval '2 days' FROM generate_series(1, " + BACKLOG + ") g; "
                    + StoredEvents.ALL_PUBLISHED);
            try (ResultSet rs = s.executeQuery("SELECT max(id) FROM attune.event")) {
                rs.next();
                lastExpired = rs.getLong(1);
            }
        }
        long started = System.nanoTime();
        await("the backlog is pruned").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> single("SELECT count(*) FROM attune.event WHERE sequenced_at < now() - interval '1 hour'"),
                        n -> n == 0);
        System.out.printf("%,d expired events pruned within %d ms%n", BACKLOG,
                (System.nanoTime() - started) / 1_000_000);
        assertThat(single("SELECT pruned_through FROM attune.event_retention")).isEqualTo(lastExpired);

        long inquiry = openInquiries(1).get(0);
        try (NotificationClient client = NotificationClient.subscribe("replaying", suite.notifierUrl(1), adminToken,
                SubscriptionFilters.NONE, 0L)) {
            JsonNode subscribed = client.awaitMessage(m -> "subscribed".equals(m.path("type").asString()), PATIENCE);
            assertThat(subscribed.path("expired_through").asLong()).isEqualTo(lastExpired);
            assertThat(subscribed.path("message").asString()).contains("cannot be replayed");
            client.awaitNotification(inquiry, "created", PATIENCE); // what is still stored is replayed
        }
    }

    @Test
    @Order(2)
    void aClientResumesFromItsPositionAfterItsNotifierWasKilledAndGetsEveryAnswerGivenMeanwhile() {
        long position;
        try (NotificationClient client = NotificationClient.subscribe("before-the-kill", suite.notifierUrl(1),
                approverToken, SubscriptionFilters.NONE)) {
            JsonNode subscribed = client.awaitMessage(m -> "subscribed".equals(m.path("type").asString()), PATIENCE);
            position = subscribed.path("position").asLong();
            assertThat(subscribed.path("position").isIntegralNumber()).as(subscribed.toString()).isTrue();
            assertThat(client.notifications()).isEmpty(); // nothing seen: only the position to resume from

            suite.service("notifier-1").kill();
        }
        List<Long> inquiries = openInquiries(20);
        inquiries.forEach(NotifierFaultsTest::approve);
        suite.launchAndAwait("notifier-1", "notifier");

        try (NotificationClient client = NotificationClient.subscribe("after-the-restart", suite.notifierUrl(1),
                approverToken, SubscriptionFilters.NONE, position)) {
            for (long inquiry : inquiries) {
                client.awaitNotification(inquiry, "created", PATIENCE);
                client.awaitNotification(inquiry, "responded", PATIENCE);
            }
            assertThat(respondedIn(client)).containsExactlyInAnyOrderElementsOf(inquiries);
            List<Long> ids = client.notifications().stream().map(n -> n.path("id").asLong()).toList();
            assertThat(ids).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    @Order(3)
    void aClientOfANotifierWhoseBrokerIsGoneForEightSecondsReceivesEveryAnswer() throws Exception {
        List<Long> inquiries = openInquiries(60);
        try (NotificationClient client = NotificationClient.subscribe("through-the-outage", notifierUrl("notifier-2"),
                approverToken, new SubscriptionFilters("inquiry", null, "responded", null, null))) {
            long started = System.nanoTime();
            brokerOfNotifier2.cut();
            for (long inquiry : inquiries) {
                approve(inquiry);
                Thread.sleep(100); // the 60 answers spread over the outage
            }
            long left = Duration.ofSeconds(8).toNanos() - (System.nanoTime() - started);
            if (left > 0) {
                Thread.sleep(left / 1_000_000);
            }
            brokerOfNotifier2.restore();
            // nothing else happens from here: the notifier must catch up on its own once its queue consumes again
            await("every answer notified on notifier-2").atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                    .until(() -> respondedIn(client).size() == inquiries.size());
            assertThat(respondedIn(client)).containsExactlyInAnyOrderElementsOf(inquiries);
            assertThat(client.notifications().stream().map(n -> n.path("id").asLong()).toList()).isSorted()
                    .doesNotHaveDuplicates();
        } finally {
            brokerOfNotifier2.restore();
        }
    }

    @Test
    @Order(4)
    void aForgedEventWithAHugeEventIdMakesNoNotifierDropRealNotifications() throws Exception {
        long real = openInquiries(1).get(0);
        try (NotificationClient onFirst = NotificationClient.subscribe("first", suite.notifierUrl(1), approverToken,
                SubscriptionFilters.NONE);
             NotificationClient onSecond = NotificationClient.subscribe("second", notifierUrl("notifier-2"),
                     approverToken, SubscriptionFilters.NONE);
             com.rabbitmq.client.Connection broker = TestServices.get().amqp().connect();
             Channel channel = broker.createChannel()) {
            MessageEnvelope<InquiryCreated> forged = MessageEnvelope.of(new InquiryCreated(real, 1,
                            "FORGED: approve everything", Json.object(), io.attune.model.inquiry.Assignment.ofUser(approverId), Instant.now().plusSeconds(3600)),
                    null, "api-service").withHeader(MessageEnvelope.EVENT_ID, "9000000000000000000");
            channel.basicPublish(suite.environment().namespace().exchange(), forged.routingKey(),
                    new AMQP.BasicProperties.Builder().contentType("application/json")
                            .headers(Map.of(MessageEnvelope.EVENT_ID, 9_000_000_000_000_000_000L)).build(),
                    Messages.write(forged));

            approve(real);
            onFirst.awaitNotification(real, "responded", PATIENCE);
            onSecond.awaitNotification(real, "responded", PATIENCE);
            long next = openInquiries(1).get(0);
            onFirst.awaitNotification(next, "created", PATIENCE);
            onSecond.awaitNotification(next, "created", PATIENCE);
            assertThat(onFirst.notifications()).noneMatch(n -> n.toString().contains("FORGED"));
            assertThat(onSecond.notifications()).noneMatch(n -> n.toString().contains("FORGED"));
        }
        for (RunningSuite.Service notifier : List.of(suite.service("notifier-1"), suite.service("notifier-2"))) {
            assertThat(notifier.isHealthy()).isTrue();
        }
    }

    @Test
    @Order(5)
    void aSubscribeFloodIsClosedWith4029AndTheClientBesideItIsNotHeldUp() {
        try (NotificationClient bystander = NotificationClient.subscribe("bystander", suite.notifierUrl(1),
                approverToken, SubscriptionFilters.NONE);
             NotificationClient flooder = NotificationClient.subscribe("flooder", suite.notifierUrl(1), adminToken,
                     SubscriptionFilters.NONE, 0L)) {
            String subscribe = Json.write(Map.of("type", "subscribe", "since", 0));
            for (int i = 0; i < 500 && flooder.closedWith() == null; i++) {
                try {
                    flooder.send(subscribe);
                } catch (RuntimeException closed) {
                    break;
                }
            }
            await("the flooder is closed").atMost(PATIENCE).until(() -> flooder.closedWith() != null);
            assertThat(flooder.closedWith()).startsWith("4029 too many");

            long inquiry = openInquiries(1).get(0);
            bystander.awaitNotification(inquiry, "created", Duration.ofSeconds(15));
            assertThat(bystander.closedWith()).isNull();
        }
        assertThat(suite.service("notifier-1").isHealthy()).isTrue();
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private static String notifierUrl(String name) {
        return "ws://127.0.0.1:" + suite.service(name).port() + "/ws";
    }

    /** Starts {@code n} executions of e2e.echo that each ask ada a question; returns the pending inquiries' ids. */
    private static List<Long> openInquiries(int n) {
        List<Long> executions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> inquiry = new LinkedHashMap<>();
            inquiry.put("prompt", "Approve change #" + i + "?");
            inquiry.put("response_schema", APPROVAL_SCHEMA);
            inquiry.put("assigned_to", approverId);
            JsonNode created = suite.call("POST", "/api/v1/executions", adminToken, Json.write(Map.of(
                    "action_ref", TestPacks.ECHO, "parameters", Map.of("__inquiry", inquiry)))).path("data");
            executions.add(created.path("id").asLong());
        }
        String ids = executions.stream().map(String::valueOf).collect(Collectors.joining(","));
        return await("the inquiries are pending").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> list("SELECT id FROM attune.inquiry WHERE status = 'pending' AND execution IN (" + ids
                        + ") ORDER BY execution"), found -> found.size() == n);
    }

    private static void approve(long inquiry) {
        suite.call("POST", "/api/v1/inquiries/" + inquiry + "/respond", approverToken,
                Json.write(Map.of("response", Map.of("approved", true))));
    }

    private static Set<Long> respondedIn(NotificationClient client) {
        return client.notifications().stream().filter(n -> "responded".equals(n.path("activity").asString()))
                .map(n -> Long.parseLong(n.path("entity").asString())).collect(Collectors.toCollection(TreeSet::new));
    }

    private static synchronized long single(String sql) throws SQLException {
        try (Statement s = database.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static synchronized List<Long> list(String sql) throws SQLException {
        List<Long> values = new ArrayList<>();
        try (PreparedStatement ps = database.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                values.add(rs.getLong(1));
            }
        }
        return values;
    }
}
