package io.attune.executor.timeout;

import io.attune.core.execution.Execution;
import io.attune.core.execution.ExecutionRepository;
import io.attune.core.inquiry.InquiryRepository;
import io.attune.executor.ExecutorApplication;
import io.attune.model.ExecutionStatus;
import io.attune.model.InquiryStatus;
import io.attune.model.json.Json;
import io.attune.model.message.ExecutionCompleted;
import io.attune.model.message.InquiryTimedOut;
import io.attune.model.message.MessageEnvelope;
import io.attune.testsupport.AttuneTestEnvironment;
import io.attune.testsupport.BrokerProbe;
import io.attune.testsupport.TcpProxy;
import io.attune.testsupport.TestServices;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The database goes away under the timeout checker and comes back: the schedule goes on and catches up. */
@SpringBootTest(classes = ExecutorApplication.class, properties = "spring.datasource.hikari.connection-timeout=1000")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class TimeoutCheckerOutageTest {
    static AttuneTestEnvironment environment;
    static TcpProxy database;

    @Autowired
    JdbcClient jdbc;
    @Autowired
    ExecutionRepository executions;
    @Autowired
    InquiryRepository inquiries;
    @Autowired
    MeterRegistry meters;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        var postgres = TestServices.get().postgres();
        database = new TcpProxy(postgres.host(), postgres.port());
        environment = AttuneTestEnvironment.create();
        environment.variables().forEach((name, value) -> registry.add(name, () -> !name.equals("ATTUNE_DB_URL") ? value
                : value.replace(postgres.host() + ":" + postgres.port(), database.host() + ":" + database.port())));
        environment.namespace().queue("executor.execution.completed");
        environment.namespace().queue("executor.execution.completed.dlq");
        environment.namespace().queue("executor.inquiry.responded");
        environment.namespace().queue("executor.inquiry.responded.dlq");
    }

    @AfterAll
    static void closeProxy() {
        database.close();
    }

    @Test
    void anInquiryThatExpiresWhileTheDatabaseIsDownTimesOutOnceItIsBack() throws Exception {
        Execution execution = executions.insert("examples.deploy_approval", Json.object(), null);
        jdbc.sql("UPDATE attune.execution SET status = 'running' WHERE id = ?").param(execution.id()).update();
        try (BrokerProbe probe = new BrokerProbe(environment, "inquiry.timeout")) {
            probe.publish(MessageEnvelope.of(new ExecutionCompleted(execution.id(), execution.actionRef(),
                    ExecutionStatus.COMPLETED, Json.tree("{\"__inquiry\": {\"prompt\": \"Approve?\", "
                    + "\"timeout_seconds\": 3600}}"), Instant.now()), UUID.randomUUID(), "worker-service"));
            await().atMost(Duration.ofSeconds(15)).until(() -> jdbc.sql(
                    "SELECT count(*) FROM attune.inquiry WHERE execution = ?").param(execution.id())
                    .query(Long.class).single() == 1);

            double failuresBefore = meters.counter("attune.inquiry.timeout.check.failures").count();
            database.cut();
            // the inquiry expires during the outage (set behind the executor's back, on a direct connection)
            try (Connection direct = environment.database().connect();
                 PreparedStatement expire = direct.prepareStatement(
                         "UPDATE attune.inquiry SET timeout_at = now() - interval '1 second' WHERE execution = ?")) {
                expire.setLong(1, execution.id());
                assertThat(expire.executeUpdate()).isEqualTo(1);
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> meters.counter("attune.inquiry.timeout.check.failures").count() >= failuresBefore + 2);
            database.restore();

            InquiryTimedOut announced = (InquiryTimedOut) probe.take(1, Duration.ofSeconds(30)).get(0).payload();
            assertThat(announced.executionId()).isEqualTo(execution.id());
            assertThat(inquiries.find(announced.inquiryId()).orElseThrow().status()).isEqualTo(InquiryStatus.TIMEOUT);
            assertThat(executions.find(execution.id()).orElseThrow().status()).isEqualTo(ExecutionStatus.TIMEOUT);
        }
    }
}
