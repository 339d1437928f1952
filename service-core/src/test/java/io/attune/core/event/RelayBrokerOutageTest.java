package io.attune.core.event;

import io.attune.testsupport.StoredEvents;
import io.attune.core.CoreTestApplication;
import io.attune.model.json.Json;
import io.attune.model.message.ExecutionRequested;
import io.attune.testsupport.AttuneTestEnvironment;
import io.attune.testsupport.BrokerProbe;
import io.attune.testsupport.TcpProxy;
import io.attune.testsupport.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The broker goes away (every connection of the service reset, new ones refused) and comes back. */
@SpringBootTest(classes = CoreTestApplication.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class RelayBrokerOutageTest {
    static AttuneTestEnvironment environment;
    static TcpProxy broker;

    @Autowired
    Outbox outbox;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    JdbcClient jdbc;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        broker = new TcpProxy(TestServices.get().amqp().host(), TestServices.get().amqp().port());
        environment = AttuneTestEnvironment.create().viaAmqpProxy(broker);
        environment.register(registry);
    }

    @AfterAll
    static void closeProxy() {
        broker.close();
    }

    @Test
    void eventsStoredWhileTheBrokerIsDownGoOutWhenItIsBack() {
        try (BrokerProbe probe = new BrokerProbe(environment, "execution.requested")) {
            transactions.executeWithoutResult(tx -> outbox.append(
                    new ExecutionRequested(1, "examples.x", Json.object()), null));
            probe.take(1, Duration.ofSeconds(10)); // the topology is declared and the relay works
            await().atMost(Duration.ofSeconds(10)).until(() -> unpublished() == 0); // confirmed and marked

            broker.cut();
            for (int i = 2; i <= 4; i++) {
                long id = i;
                transactions.executeWithoutResult(tx -> outbox.append(
                        new ExecutionRequested(id, "examples.x", Json.object()), null));
            }
            assertThat(probe.drain(Duration.ofSeconds(2))).isEmpty();
            assertThat(unpublished()).isEqualTo(3L);

            broker.restore();
            assertThat(probe.take(3, Duration.ofSeconds(30))).extracting(m -> m.payload().executionId())
                    .containsExactly(2L, 3L, 4L);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(unpublished()).isZero());
        }
    }

    private long unpublished() {
        return jdbc.sql(StoredEvents.COUNT_UNPUBLISHED).query(Long.class).single();
    }
}
