package io.attune.worker.execution;

import io.attune.core.execution.Execution;
import io.attune.core.execution.ExecutionTransitions;
import io.attune.model.ExecutionStatus;
import io.attune.model.json.Json;
import io.attune.model.message.ExecutionCompleted;
import io.attune.model.message.MessageEnvelope;
import io.attune.model.message.MessagePayload;
import io.attune.testsupport.AttuneTestEnvironment;
import io.attune.testsupport.PostgresEndpoint;
import io.attune.testsupport.TcpProxy;
import io.attune.testsupport.TestServices;
import io.attune.worker.ExecutionEvents;
import io.attune.worker.TestPacks;
import io.attune.worker.WorkerApplication;
import io.attune.worker.action.ActionRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The database goes away while an action runs: its outcome, which exists nowhere else yet, is kept and stored once
 * the database is back — not dropped, and the action is not run again.
 */
@SpringBootTest(classes = WorkerApplication.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ReportDuringDatabaseOutageTest {
    static AttuneTestEnvironment environment;
    static TcpProxy database;

    @Autowired
    ExecutionTransitions transitions;
    @Autowired
    ActionRunner runner;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        environment = AttuneTestEnvironment.create();
        PostgresEndpoint postgres = TestServices.get().postgres();
        database = new TcpProxy(postgres.host(), postgres.port());
        PostgresEndpoint viaProxy = new PostgresEndpoint(postgres.kind(), database.host(), database.port(),
                postgres.user(), postgres.password());
        environment.variables().forEach((name, value) -> registry.add(name, () -> name.equals("ATTUNE_DB_URL")
                ? viaProxy.jdbcUrl(environment.database().name()) : value));
        registry.add("ATTUNE_PACKS_DIR", () -> TestPacks.testPacks().toString());
        environment.namespace().queue(WorkerConfiguration.CONSUMER);
        environment.namespace().queue(WorkerConfiguration.CONSUMER + ".dlq");
    }

    @AfterAll
    static void closeProxy() {
        database.close();
    }

    @Test
    void theOutcomeOfAnActionThatEndedDuringADatabaseOutageIsStoredWhenItIsBack() {
        try (ExecutionEvents events = new ExecutionEvents(environment)) {
            Execution execution = transitions.request("testing.sleep", Json.tree("{\"seconds\": 2}"), null,
                    UUID.randomUUID());
            events.statusChange(execution.id(), Duration.ofSeconds(30));

            database.cut();
            await().atMost(Duration.ofSeconds(30)).until(() -> runner.runningCount() == 0);
            List<MessageEnvelope<MessagePayload>> duringOutage = events.about(execution.id(), Duration.ofSeconds(2));
            database.restore();

            assertThat(duringOutage).isEmpty();
            ExecutionCompleted completed = events.completion(execution.id(), Duration.ofSeconds(60)).payload();
            assertThat(completed.status()).isEqualTo(ExecutionStatus.COMPLETED);
            assertThat(completed.result().has("finished")).isTrue();
            assertThat(events.about(execution.id(), Duration.ofSeconds(2))).isEmpty();
        }
    }
}
