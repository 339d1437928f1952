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

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A notifier replica whose broker and database connections run through proxies the test cuts: after its broker
 * connection comes back it catches up from the trail at once — on a quiet system too, with no further event to
 * trigger it — and a catch-up that cannot run yet (the database is away as well) is done later, never skipped.
 * The test's own context produces the events and relays them.
 */
class FeedRecoveryTest extends NotifierIntegrationTest {
    private static TcpProxy broker;
    private static TcpProxy database;
    private static ConfigurableApplicationContext replica;

    private int replicaPort() {
        if (replica == null) {
            broker = new TcpProxy(TestServices.get().amqp().host(), TestServices.get().amqp().port());
            database = new TcpProxy(TestServices.get().postgres().host(), TestServices.get().postgres().port());
            Map<String, String> variables = new LinkedHashMap<>(environment.variables());
            variables.put("ATTUNE_AMQP_URL", TestServices.get().amqp().url(broker.host(), broker.port()));
            variables.put("ATTUNE_DB_URL", environment.database().server().jdbcUrl(database.host(), database.port(),
                    environment.database().name()));
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
        if (broker != null) {
            broker.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void aQuietReplicaCatchesUpAsSoonAsItsBrokerConnectionIsBack() {
        Identity admin = identity(Role.ADMIN);
        try (WsClient client = WsClient.connect(ws(replicaPort()), token(admin))) {
            client.subscribe(SubscriptionFilters.NONE, null);
            long first = eventId(open(null), "InquiryCreated");
            assertThat(ids(client.notifications(1))).containsExactly(first); // the feed works

            broker.cut(); // the replica's queue goes with its connection
            List<Inquiry> duringOutage = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Inquiry inquiry = open(null);
                respond(inquiry, admin);
                duringOutage.add(inquiry);
            }
            List<Long> missed = awaitEvents(first, 20);
            broker.restore();

            // nothing else happens: the catch-up must not wait for a next event
            assertThat(ids(client.notifications(20, Duration.ofSeconds(30)))).containsExactlyElementsOf(missed);
            long next = eventId(open(null), "InquiryCreated");
            assertThat(ids(client.notifications(1))).containsExactly(next);
            assertThat(client.notificationsUntilPong()).isEmpty();
        }
    }

    @Test
    void aCatchUpThatCannotRunWhenTheBrokerReturnsIsDoneOnceItCanNeverSkipped() throws Exception {
        Identity admin = identity(Role.ADMIN);
        try (WsClient client = WsClient.connect(ws(replicaPort()), token(admin))) {
            client.subscribe(SubscriptionFilters.NONE, null);
            long first = eventId(open(null), "InquiryCreated");
            assertThat(ids(client.notifications(1))).containsExactly(first);

            broker.cut();
            database.cut();
            for (int i = 0; i < 5; i++) {
                open(null);
            }
            List<Long> missed = awaitEvents(first, 5);
            broker.restore(); // the queue consumes again, but the trail cannot be read yet
            Thread.sleep(4_000);
            long duringDatabaseOutage = eventId(open(null), "InquiryCreated");
            Thread.sleep(2_000);
            database.restore();

            List<Long> expected = new ArrayList<>(missed);
            expected.add(duringDatabaseOutage);
            assertThat(ids(client.notifications(6, Duration.ofSeconds(45)))).containsExactlyElementsOf(expected);
            long next = eventId(open(null), "InquiryCreated");
            assertThat(ids(client.notifications(1))).containsExactly(next);
            assertThat(client.notificationsUntilPong()).isEmpty();
        } finally {
            database.restore();
            broker.restore();
        }
    }

    /** The ids of the {@code count} inquiry events after {@code after} (waits for the relay to assign them). */
    private List<Long> awaitEvents(long after, int count) {
        return org.awaitility.Awaitility.await().atMost(WAIT).until(() -> inquiryEventIds(after),
                found -> found.size() == count);
    }
}
