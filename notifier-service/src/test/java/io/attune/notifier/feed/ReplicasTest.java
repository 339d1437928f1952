package io.attune.notifier.feed;

import io.attune.core.identity.Identity;
import io.attune.core.identity.Role;
import io.attune.core.inquiry.Inquiry;
import io.attune.model.ws.SubscriptionFilters;
import io.attune.notifier.NotifierApplication;
import io.attune.notifier.NotifierIntegrationTest;
import io.attune.notifier.WsClient;
import io.attune.testsupport.TcpProxy;
import io.attune.testsupport.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two notifier replicas on one suite: the test's own (which also relays the events) and a second one, started here
 * as its own application on its own port, whose broker connection runs through a proxy the test can cut.
 */
class ReplicasTest extends NotifierIntegrationTest {
    private static TcpProxy replicaBroker;
    private static ConfigurableApplicationContext replica;

    private int replicaPort() {
        if (replica == null) {
            replicaBroker = new TcpProxy(TestServices.get().amqp().host(), TestServices.get().amqp().port());
            Map<String, String> variables = new LinkedHashMap<>(environment.variables());
            variables.put("ATTUNE_AMQP_URL", TestServices.get().amqp().url(replicaBroker.host(), replicaBroker.port()));
            variables.put("SERVER_PORT", "0");
            variables.put("spring.application.name", "notifier-replica");
            List<String> args = new ArrayList<>();
            variables.forEach((name, value) -> args.add("--" + name + "=" + value));
            replica = new SpringApplicationBuilder(NotifierApplication.class).run(args.toArray(String[]::new));
        }
        return ((WebServerApplicationContext) replica).getWebServer().getPort();
    }

    @AfterAll
    static void stopReplica() {
        if (replica != null) {
            replica.close();
        }
        if (replicaBroker != null) {
            replicaBroker.close();
        }
    }

    @Test
    void eachReplicaDeliversEveryEventToItsOwnClients() {
        Identity admin = identity(Role.ADMIN);
        Identity ada = identity(Role.USER);
        try (WsClient onFirst = connect(admin);
             WsClient onSecond = WsClient.connect(ws(replicaPort()), token(admin));
             WsClient adaOnSecond = WsClient.connect(ws(replicaPort()), token(ada))) {
            onFirst.subscribe(SubscriptionFilters.NONE, null);
            onSecond.subscribe(SubscriptionFilters.NONE, null);
            adaOnSecond.subscribe(SubscriptionFilters.NONE, null);
            long start = lastEventId();

            List<Inquiry> inquiries = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Inquiry inquiry = open(i % 2 == 0 ? ada.id() : admin.id());
                respond(inquiry, i % 2 == 0 ? ada : admin);
                inquiries.add(inquiry);
            }
            List<Long> all = await20(start);
            assertThat(ids(onFirst.notifications(20))).containsExactlyElementsOf(all);
            assertThat(ids(onSecond.notifications(20))).containsExactlyElementsOf(all);
            List<JsonNode> adas = adaOnSecond.notifications(10);
            assertThat(adas).allSatisfy(n -> assertThat(n.get("content").get("assigned_to").asLong())
                    .isEqualTo(ada.id()));
            assertThat(onSecond.notificationsUntilPong()).isEmpty();
            assertThat(adaOnSecond.notificationsUntilPong()).isEmpty();
        }
    }

    @Test
    void aReplicaThatLostItsBrokerConnectionCatchesUpFromTheEventTrail() throws Exception {
        Identity admin = identity(Role.ADMIN);
        try (WsClient onFirst = connect(admin);
             WsClient onSecond = WsClient.connect(ws(replicaPort()), token(admin))) {
            onFirst.subscribe(SubscriptionFilters.NONE, null);
            onSecond.subscribe(SubscriptionFilters.NONE, null);
            long start = lastEventId();
            open(null);
            onSecond.notifications(1); // the replica's feed works
            onFirst.notifications(1);

            replicaBroker.cut(); // its queue is gone with its connection
            List<Inquiry> duringOutage = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                duringOutage.add(open(null));
            }
            List<Long> missedIds = eventIds(duringOutage, "InquiryCreated");
            assertThat(ids(onFirst.notifications(10))).containsExactlyElementsOf(missedIds);
            replicaBroker.restore();

            // life goes on: the next event the replica receives brings the missed ones first
            AtomicBoolean stop = new AtomicBoolean();
            CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
                while (!stop.get()) {
                    open(null);
                    sleep(500);
                }
            });
            List<JsonNode> onSecondAfter;
            try {
                onSecondAfter = new ArrayList<>(onSecond.notifications(11, Duration.ofSeconds(90)));
            } finally {
                stop.set(true);
                producer.get();
            }
            assertThat(ids(onSecondAfter.subList(0, 10))).containsExactlyElementsOf(missedIds);

            List<Long> all = inquiryEventIds(start);
            long last = all.get(all.size() - 1);
            onSecondAfter.addAll(onSecond.notificationsThrough(last, WAIT).stream()
                    .filter(n -> n.get("id").asLong() > onSecondAfter.get(10).get("id").asLong()).toList());
            List<JsonNode> first = onFirst.notificationsThrough(last, WAIT);
            assertThat(ids(first)).containsExactlyElementsOf(all.subList(11, all.size()));
            assertThat(ids(onSecondAfter)).containsExactlyElementsOf(all.subList(1, all.size()));
        }
    }

    @Test
    void aReplicaThatShutsDownSendsItsClientsElsewhereWithNothingLost() {
        Identity admin = identity(Role.ADMIN);
        long lastSeen;
        try (WsClient onSecond = WsClient.connect(ws(replicaPort()), token(admin))) {
            onSecond.subscribe(SubscriptionFilters.NONE, null);
            open(null);
            lastSeen = onSecond.notifications(1).get(0).get("id").asLong();

            replica.close();
            replica = null; // a later test starts a fresh one
            assertThat(onSecond.awaitClose(WAIT).code()).isEqualTo(1001);
        }
        Inquiry meanwhile = open(null);
        try (WsClient onFirst = connect(admin)) {
            onFirst.subscribe(SubscriptionFilters.NONE, lastSeen);
            assertThat(ids(onFirst.notifications(1))).containsExactly(eventId(meanwhile, "InquiryCreated"));
        }
    }

    private List<Long> await20(long start) {
        return org.awaitility.Awaitility.await().atMost(WAIT).until(() -> inquiryEventIds(start), ids -> ids.size() == 20);
    }

    private long lastEventId() {
        return jdbc.sql("SELECT coalesce(max(id), 0) FROM attune.event").query(Long.class).single();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
