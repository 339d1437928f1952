package io.attune.executor.completion;

import io.attune.core.execution.Execution;
import io.attune.executor.ExecutorIntegrationTest;
import io.attune.model.ExecutionStatus;
import io.attune.model.json.Json;
import io.attune.model.message.ExecutionStatusChanged;
import io.attune.model.message.MessageEnvelope;
import io.attune.model.message.MessagePayload;
import io.attune.testsupport.BrokerProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An invalid {@code __inquiry} creates no inquiry; the execution fails and its result says exactly
 * what was wrong — the reported result kept, plus {@code error} and {@code inquiry_errors}.
 */
class InvalidInquiryTest extends ExecutorIntegrationTest {
    static final String POSITIVE = "timeout_seconds must be a positive integer, not ";

    static Stream<Arguments> invalidRequests() {
        return Stream.of(
                Arguments.of("missing prompt", "{\"timeout_seconds\": 60}",
                        "/prompt", "prompt is required and must be a non-empty string"),
                Arguments.of("empty prompt", "{\"prompt\": \"\"}",
                        "/prompt", "prompt is required and must be a non-empty string"),
                Arguments.of("blank prompt", "{\"prompt\": \"   \"}",
                        "/prompt", "prompt is required and must be a non-empty string"),
                Arguments.of("prompt not a string", "{\"prompt\": 42}",
                        "/prompt", "prompt is required and must be a non-empty string"),
                Arguments.of("unknown assignee", "{\"prompt\": \"Approve?\", \"assigned_to\": 987654321}",
                        "/assigned_to", "assigned_to 987654321 is not an existing identity"),
                Arguments.of("assignee not an id", "{\"prompt\": \"Approve?\", \"assigned_to\": \"alice\"}",
                        "/assigned_to", "assigned_to must be a user id, {\"user\": id}, {\"group\": \"name\"} or a "
                                + "list of these, not \"alice\""),
                Arguments.of("unknown group", "{\"prompt\": \"Approve?\", \"assigned_to\": {\"group\": \"nobody-s\"}}",
                        "/assigned_to", "assigned_to names group 'nobody-s', which does not exist"),
                Arguments.of("timeout 0", "{\"prompt\": \"Approve?\", \"timeout_seconds\": 0}",
                        "/timeout_seconds", POSITIVE + "0"),
                Arguments.of("timeout -5", "{\"prompt\": \"Approve?\", \"timeout_seconds\": -5}",
                        "/timeout_seconds", POSITIVE + "-5"),
                Arguments.of("timeout 1.5", "{\"prompt\": \"Approve?\", \"timeout_seconds\": 1.5}",
                        "/timeout_seconds", POSITIVE + "1.5"),
                Arguments.of("timeout \"60\"", "{\"prompt\": \"Approve?\", \"timeout_seconds\": \"60\"}",
                        "/timeout_seconds", POSITIVE + "\"60\""),
                Arguments.of("allow_self_approval a string",
                        "{\"prompt\": \"Approve?\", \"allow_self_approval\": \"yes\"}",
                        "/allow_self_approval", "allow_self_approval must be true or false, not \"yes\""),
                Arguments.of("__inquiry not an object", "\"Approve?\"",
                        "", "__inquiry must be a JSON object"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRequests")
    void anInvalidRequestFailsTheExecutionAndSaysWhy(String name, String inquiry, String path, String message) {
        ObjectNode reported = reportedResult(Json.tree(inquiry));
        ObjectNode failed = awaitFailure(reported);

        ObjectNode expected = reported.deepCopy();
        expected.put("error", "invalid __inquiry: " + message);
        expected.set("inquiry_errors", Json.tree("[{\"path\": %s, \"message\": %s}]"
                .formatted(Json.write(path), Json.write(message))));
        assertThat(failed).isEqualTo(expected);
    }

    @Test
    void aSchemaThatIsNotAJsonSchemaIsRefused() {
        ObjectNode failed = awaitFailure(reportedResult(Json.tree("""
                {"prompt": "Approve?", "response_schema": {"type": 12}}""")));

        assertThat(failed.get("error").asString()).startsWith("invalid __inquiry: response_schema is not a valid JSON Schema");
        assertThat(failed.get("inquiry_errors")).isNotEmpty().allSatisfy(problem -> {
            assertThat(problem.get("path").asString()).startsWith("/response_schema");
            assertThat(problem.get("message").asString()).startsWith("response_schema is not a valid JSON Schema: ");
        });
        assertThat(failed.get("inquiry_errors").toString()).contains("/response_schema/type");
    }

    static Stream<Arguments> schemasThatCannotBeEvaluatedSafely() {
        return Stream.of(
                // killed both executors once: StackOverflowError in the consumer thread, then System.exit
                Arguments.of("a $ref to itself", "{\"$ref\": \"#\"}", "without descending into the answer"),
                // was accepted; answering {"x": 1} gave a 500
                Arguments.of("recursion through if/then",
                        "{\"type\": \"object\", \"if\": {\"required\": [\"x\"]}, \"then\": {\"$ref\": \"#\"}}",
                        "without descending into the answer"),
                Arguments.of("a backtracking pattern", "{\"type\": \"string\", \"pattern\": \"^(\\\\w+)\\\\1$\"}",
                        "cannot run in linear time"),
                Arguments.of("a huge enum", "{\"enum\": " + numbers(5000) + "}",
                        "enum has 5000 values; at most 1000"),
                Arguments.of("a schema over 64 KiB", "{\"description\": \"" + "x".repeat(70_000) + "\"}",
                        "bytes; at most 65536"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemasThatCannotBeEvaluatedSafely")
    void aSchemaThatCannotBeEvaluatedSafelyFailsTheExecutionWithTheReasonAndTheNextReportIsHandled(
            String name, String schema, String reason) {
        ObjectNode inquiry = Json.object().put("prompt", "Approve?");
        inquiry.set("response_schema", Json.tree(schema));
        ObjectNode failed = awaitFailure(reportedResult(inquiry));

        assertThat(failed.get("error").asString()).startsWith("invalid __inquiry: response_schema is not a valid "
                + "JSON Schema").contains(reason);
        assertThat(failed.get("inquiry_errors").get(0).get("path").asString()).startsWith("/response_schema");
        // the consumer is alive: an ordinary report is still handled
        Execution next = runningExecution();
        try (BrokerProbe probe = probe("nothing.to.see")) {
            probe.publish(report(next, ExecutionStatus.COMPLETED, Json.tree("{\"ok\": true}")));
        }
        awaitStatus(next.id(), ExecutionStatus.COMPLETED);
    }

    @Test
    void aPromptOver4KiBIsRefused() {
        ObjectNode failed = awaitFailure(reportedResult(Json.object().put("prompt", "é".repeat(2049))));

        assertThat(failed.get("inquiry_errors")).singleElement().satisfies(problem -> {
            assertThat(problem.get("path").asString()).isEqualTo("/prompt");
            assertThat(problem.get("message").asString()).isEqualTo("prompt is 4098 bytes; at most 4096 are allowed");
        });
    }

    @Test
    void everyProblemIsNamed() {
        ObjectNode failed = awaitFailure(reportedResult(Json.tree("""
                {"prompt": "", "assigned_to": 987654321, "timeout_seconds": 0}""")));

        assertThat(failed.get("error").asString()).isEqualTo("invalid __inquiry: "
                + "prompt is required and must be a non-empty string; "
                + "assigned_to 987654321 is not an existing identity; " + POSITIVE + "0");
        List<String> paths = new ArrayList<>();
        failed.get("inquiry_errors").forEach(problem -> paths.add(problem.get("path").asString()));
        assertThat(paths).containsExactly("/prompt", "/assigned_to", "/timeout_seconds");
    }

    static String numbers(int count) {
        return java.util.stream.IntStream.range(0, count).mapToObj(Integer::toString)
                .collect(java.util.stream.Collectors.joining(",", "[", "]"));
    }

    static ObjectNode reportedResult(JsonNode inquiry) {
        ObjectNode result = Json.object();
        result.set("__inquiry", inquiry);
        result.set("deployment_plan", Json.tree("{\"target\": \"production\", \"version\": \"v2.5.0\"}"));
        return result;
    }

    /**
     * Reports {@code result} as completed and returns the failed execution's result, after checking that no
     * inquiry was created or announced: the relay publishes in commit order, so an InquiryCreated of the same
     * transaction would arrive before the ExecutionStatusChanged.
     */
    ObjectNode awaitFailure(ObjectNode result) {
        Execution execution = runningExecution();
        try (BrokerProbe probe = probe("inquiry.created", "execution.status.changed")) {
            double invalidBefore = count("attune.inquiry.requests.invalid");
            probe.publish(report(execution, ExecutionStatus.COMPLETED, result));

            Execution failed = awaitStatus(execution.id(), ExecutionStatus.FAILED);
            await().atMost(WAIT).until(() -> count("attune.inquiry.requests.invalid") == invalidBefore + 1);
            List<MessageEnvelope<MessagePayload>> events = probe.take(1, WAIT);
            assertThat(events.get(0).payload()).isEqualTo(new ExecutionStatusChanged(execution.id(),
                    ExecutionStatus.RUNNING, ExecutionStatus.FAILED, failed.result()));
            assertThat(inquiriesOf(execution.id())).isEmpty();
            assertThat(failed.result().get("__inquiry")).isEqualTo(result.get("__inquiry"));
            return (ObjectNode) failed.result();
        }
    }
}
