package io.attune.worker.execution;

import io.attune.core.execution.Execution;
import io.attune.model.ExecutionStatus;
import io.attune.model.json.Json;
import io.attune.model.message.ExecutionCompleted;
import io.attune.model.message.ExecutionRequested;
import io.attune.model.message.ExecutionStatusChanged;
import io.attune.model.message.MessageEnvelope;
import io.attune.model.message.MessagePayload;
import io.attune.worker.TestPacks;
import io.attune.worker.WorkerIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * From ExecutionRequested to ExecutionCompleted through a real broker and database, with the test-only actions of
 * {@code ATTUNE_PACKS_DIR} (src/test/resources/test-packs): results, failures, timeouts, unknown actions, running
 * several at once, and redeliveries.
 */
class ActionOutcomesTest extends WorkerIntegrationTest {

    @DynamicPropertySource
    static void testPacks(DynamicPropertyRegistry registry) {
        registry.add("ATTUNE_PACKS_DIR", () -> TestPacks.testPacks().toString());
    }

    @Test
    void theExecutionIsMarkedRunningAndTheActionsResultIsReported() {
        UUID correlation = UUID.randomUUID();
        Execution execution = transitions.request("testing.echo", Json.tree("{\"name\": \"Ann \\\"A\\\" \u00e9\"}"),
                null, correlation);

        MessageEnvelope<ExecutionStatusChanged> running = events.statusChange(execution.id(), WAIT);
        MessageEnvelope<ExecutionCompleted> completed = events.completion(execution.id(), WAIT);

        assertThat(running.payload().previousStatus()).isEqualTo(ExecutionStatus.REQUESTED);
        assertThat(running.payload().status()).isEqualTo(ExecutionStatus.RUNNING);
        assertThat(completed.payload().status()).isEqualTo(ExecutionStatus.COMPLETED);
        assertThat(completed.payload().actionRef()).isEqualTo("testing.echo");
        assertThat(completed.payload().completedAt()).isNotNull();
        assertThat(completed.payload().result().get("parameters")).isEqualTo(execution.parameters());
        assertThat(completed.payload().result().get("execution_id").asString())
                .isEqualTo(Long.toString(execution.id()));
        assertThat(List.of(running.correlationId(), completed.correlationId())).containsOnly(correlation);
        assertThat(completed.headers()).containsEntry("source_service", "worker-service");
        // Storing the outcome is the executor's business: the worker only reports it.
        assertThat(executions.find(execution.id()).orElseThrow().status()).isEqualTo(ExecutionStatus.RUNNING);
    }

    @Test
    void aNonZeroExitFailsWithTheExitCodeAndTheTailOfStderr() {
        ExecutionCompleted completed = runToCompletion(request("testing.fail", "{}"));

        assertThat(completed.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(completed.result().get("error").asString()).isEqualTo("action exited with code 3");
        assertThat(completed.result().get("exit_code").asInt()).isEqualTo(3);
        assertThat(completed.result().get("stderr_tail").asString()).contains("something broke: disk full");
    }

    @Test
    void outputThatIsNotAJsonObjectFails() {
        ExecutionCompleted completed = runToCompletion(request("testing.not_json", "{}"));

        assertThat(completed.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(completed.result().get("error").asString()).isEqualTo("action output is not a JSON object");
        assertThat(completed.result().get("stdout_head").asString()).isEqualTo("hello, this is not JSON\n");
        assertThat(completed.result().get("exit_code").asInt()).isZero();
    }

    @Test
    void anActionThatOutlivesItsTimeoutEndsInTimeout() {
        ExecutionCompleted completed = runToCompletion(request("testing.slow", "{}"));

        assertThat(completed.status()).isEqualTo(ExecutionStatus.TIMEOUT);
        assertThat(completed.result().get("error").asString()).isEqualTo("action timed out after 1 s");
        assertThat(completed.result().get("stderr_tail").asString()).startsWith("child ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"testing.nope", "nopack.echo", "../etc.passwd", "testing./../../etc/passwd",
            "testing.echo.sh", "testing.slow.json"})
    void anUnknownActionFails(String actionRef) {
        ExecutionCompleted completed = runToCompletion(requestUnchecked(actionRef));

        assertThat(completed.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(completed.actionRef()).isEqualTo(actionRef);
        assertThat(completed.result().get("error").asString()).startsWith("unknown action '" + actionRef + "'");
    }

    @Test
    void severalActionsRunAtOnce() {
        List<Execution> sleepers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sleepers.add(request("testing.sleep", "{\"seconds\": 2}"));
        }

        List<double[]> spans = sleepers.stream().map(this::span).toList();

        double lastStart = spans.stream().mapToDouble(s -> s[0]).max().orElseThrow();
        double firstEnd = spans.stream().mapToDouble(s -> s[1]).min().orElseThrow();
        assertThat(lastStart).as("every action started before any finished").isLessThan(firstEnd);
    }

    @Test
    void noMoreThanMaxConcurrentActionsRunAtOnce() {
        List<Execution> sleepers = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            sleepers.add(request("testing.sleep", "{\"seconds\": 1.5}"));
        }

        List<double[]> spans = sleepers.stream().map(this::span).toList();

        int mostAtOnce = 0;
        for (double[] span : spans) {
            long atOnce = spans.stream().filter(other -> other[0] <= span[0] && span[0] < other[1]).count();
            mostAtOnce = Math.max(mostAtOnce, (int) atOnce);
        }
        assertThat(mostAtOnce).isEqualTo(4);
    }

    @Test
    void failingActionsDoNotStopTheOthersNorTheWorker() {
        Map<String, ExecutionStatus> expected = Map.of("testing.fail", ExecutionStatus.FAILED,
                "testing.killed", ExecutionStatus.FAILED, "testing.huge", ExecutionStatus.FAILED,
                "testing.not_json", ExecutionStatus.FAILED, "testing.sleep", ExecutionStatus.COMPLETED,
                "testing.echo", ExecutionStatus.COMPLETED);
        List<Execution> requested = expected.keySet().stream().map(ref -> request(ref, "{\"seconds\": 1}")).toList();

        for (Execution execution : requested) {
            assertThat(events.completion(execution.id(), WAIT).payload().status())
                    .as(execution.actionRef()).isEqualTo(expected.get(execution.actionRef()));
        }
        ExecutionCompleted after = events.completion(request("testing.echo", "{}").id(), WAIT).payload();
        assertThat(after.status()).isEqualTo(ExecutionStatus.COMPLETED);
    }

    @Test
    void aRedeliveredRequestDoesNotRunTheActionAgain() throws IOException {
        Path runs = Files.createTempFile("runs-", ".txt");
        // the action runs as nobody when these tests run as root
        Files.setPosixFilePermissions(runs, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        Execution execution = request("testing.count", Json.write(Map.of("file", runs.toString())));
        publishAgain(execution); // while it runs
        events.completion(execution.id(), WAIT);
        publishAgain(execution); // after it ran

        List<MessageEnvelope<MessagePayload>> more = events.about(execution.id(), Duration.ofSeconds(3));

        assertThat(more).noneMatch(m -> m.payload() instanceof ExecutionCompleted);
        assertThat(Files.readAllLines(runs)).containsExactly("ran " + execution.id());
        Files.delete(runs);
    }

    /** When a sleeping action started and finished (epoch seconds), from its result. */
    private double[] span(Execution sleeper) {
        ExecutionCompleted completed = events.completion(sleeper.id(), WAIT).payload();
        assertThat(completed.status()).isEqualTo(ExecutionStatus.COMPLETED);
        return new double[]{completed.result().get("started").asDouble(), completed.result().get("finished").asDouble()};
    }

    private void publishAgain(Execution execution) {
        transactions.executeWithoutResult(tx -> outbox.append(
                new ExecutionRequested(execution.id(), execution.actionRef(), execution.parameters()),
                UUID.randomUUID()));
    }
}
