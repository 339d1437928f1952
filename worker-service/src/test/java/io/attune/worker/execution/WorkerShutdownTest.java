package io.attune.worker.execution;

import io.attune.core.execution.Execution;
import io.attune.core.execution.ExecutionRepository;
import io.attune.core.execution.ExecutionTransitions;
import io.attune.model.ExecutionStatus;
import io.attune.model.json.Json;
import io.attune.testsupport.AttuneTestEnvironment;
import io.attune.worker.TestPacks;
import io.attune.worker.WorkerApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An orderly stop of the worker (SIGTERM, a redeploy): running actions get {@code attune.worker.shutdown-grace} to
 * finish; those that do not are stopped and reported failed, so that no execution is left {@code running}.
 */
@Timeout(120)
class WorkerShutdownTest {

    @Test
    void anActionThatEndsWithinTheGraceIsReportedAsUsual() throws Exception {
        AttuneTestEnvironment environment = AttuneTestEnvironment.create();
        ConfigurableApplicationContext worker = start(environment, "5s");
        Execution execution = requestAndWaitUntilRunning(worker, "{\"seconds\": 1}");

        worker.close();

        JsonNode completed = storedCompletion(environment, execution.id());
        assertThat(completed.get("status").asString()).isEqualTo("completed");
        assertThat(completed.get("result").has("finished")).isTrue();
    }

    @Test
    void anActionStillRunningAfterTheGraceIsStoppedAndReportedFailed() throws Exception {
        AttuneTestEnvironment environment = AttuneTestEnvironment.create();
        ConfigurableApplicationContext worker = start(environment, "1s");
        Execution execution = requestAndWaitUntilRunning(worker, "{\"seconds\": 300}");

        worker.close();

        JsonNode completed = storedCompletion(environment, execution.id());
        assertThat(completed.get("status").asString()).isEqualTo("failed");
        assertThat(completed.get("result").get("error").asString())
                .isEqualTo("the worker stopped before the action finished");
        Matcher pid = Pattern.compile("pid (\\d+)").matcher(completed.get("result").get("stderr_tail").asString());
        assertThat(pid.find()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(Long.parseLong(pid.group(1)))
                .map(p -> !p.isAlive()).orElse(true));
    }

    private static ConfigurableApplicationContext start(AttuneTestEnvironment environment, String grace) {
        environment.namespace().queue(WorkerConfiguration.CONSUMER);
        environment.namespace().queue(WorkerConfiguration.CONSUMER + ".dlq");
        List<String> arguments = new ArrayList<>();
        environment.variables().forEach((name, value) -> arguments.add("--" + name + "=" + value));
        arguments.add("--ATTUNE_PACKS_DIR=" + TestPacks.testPacks());
        arguments.add("--attune.worker.shutdown-grace=" + grace);
        arguments.add("--server.port=0");
        return new SpringApplicationBuilder(WorkerApplication.class).run(arguments.toArray(String[]::new));
    }

    private static Execution requestAndWaitUntilRunning(ConfigurableApplicationContext worker, String parameters) {
        Execution execution = worker.getBean(ExecutionTransitions.class).request("testing.sleep",
                Json.tree(parameters), null, UUID.randomUUID());
        ExecutionRepository executions = worker.getBean(ExecutionRepository.class);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                executions.find(execution.id()).orElseThrow().status() == ExecutionStatus.RUNNING);
        return execution;
    }

    /** The ExecutionCompleted payload the worker stored in the outbox (published by any relay of the suite). */
    private static JsonNode storedCompletion(AttuneTestEnvironment environment, long executionId)
            throws SQLException {
        try (Connection c = environment.database().connect();
             PreparedStatement query = c.prepareStatement("SELECT envelope::text FROM attune.event "
                     + "WHERE message_type = 'ExecutionCompleted' AND execution_id = ?")) {
            query.setLong(1, executionId);
            try (ResultSet rows = query.executeQuery()) {
                assertThat(rows.next()).as("an ExecutionCompleted was stored").isTrue();
                JsonNode payload = Json.tree(rows.getString(1)).get("payload");
                assertThat(rows.next()).as("only one").isFalse();
                return payload;
            }
        }
    }
}
