package io.attune.executor.completion;

import io.attune.core.execution.Execution;
import io.attune.core.execution.StorableResult;
import io.attune.core.inquiry.Inquiry;
import io.attune.executor.ExecutorIntegrationTest;
import io.attune.model.ExecutionStatus;
import io.attune.model.json.Json;
import io.attune.testsupport.BrokerProbe;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every report ends its execution, whatever its result holds: what Postgres cannot store is normalised (and the
 * result says so) or refused with the reason — never a report retried until it is dead-lettered while its
 * execution waits for ever.
 */
class UnstorableResultTest extends ExecutorIntegrationTest {

    /** Publishes the report as a worker would: raw JSON, so that it may hold exactly what a worker sends. */
    void publish(Execution execution, String status, String resultJson) {
        String envelope = """
                {"message_id": "%s", "correlation_id": "%s", "message_type": "ExecutionCompleted", "version": "1.0",
                 "timestamp": "2026-01-15T10:30:00Z", "headers": {"source_service": "worker-service"},
                 "payload": {"execution_id": %d, "action_ref": "examples.deploy_approval", "status": "%s",
                             "result": %s, "completed_at": "2026-01-15T10:30:00Z"}}"""
                .formatted(java.util.UUID.randomUUID(), java.util.UUID.randomUUID(), execution.id(), status,
                        resultJson);
        try (BrokerProbe probe = probe("nothing.to.see")) {
            probe.publish("execution.completed", envelope.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aResultHoldingNulCharactersIsStoredWithThemReplacedAndSaysSo() {
        Execution execution = runningExecution();
        publish(execution, "completed", "{\"log\": \"line one\\u0000line two\", \"k\\u0000ey\": [\"\\u0000\"]}");

        JsonNode result = awaitStatus(execution.id(), ExecutionStatus.COMPLETED).result();
        assertThat(result.get("log").asString()).isEqualTo("line one\uFFFDline two");
        assertThat(result.get("k\uFFFDey").get(0).asString()).isEqualTo("\uFFFD");
        assertThat(result.get(StorableResult.NOTES).get(0).asString())
                .isEqualTo("3 U+0000 (NUL) character(s) replaced by U+FFFD: the database cannot store U+0000");
    }

    @Test
    void aNulCharacterInAnInquiryIsReplacedAndTheInquiryOpens() {
        Execution execution = runningExecution();
        publish(execution, "completed", "{\"__inquiry\": {\"prompt\": \"Approve\\u0000?\", \"response_schema\": "
                + "{\"type\": \"object\", \"properties\": {\"ok\\u0000\": {\"type\": \"boolean\"}}}}}");

        Execution paused = awaitStatus(execution.id(), ExecutionStatus.PAUSED);
        Inquiry inquiry = inquiriesOf(execution.id()).get(0);
        assertThat(inquiry.prompt()).isEqualTo("Approve\uFFFD?");
        assertThat(inquiry.responseSchema().get("properties").has("ok\uFFFD")).isTrue();
        assertThat(paused.result().get(StorableResult.NOTES)).hasSize(1);
    }

    @Test
    void aNulCharacterInAResultThatIsNotAnObjectIsKeptBesideItsNote() {
        Execution execution = runningExecution();
        publish(execution, "failed", "\"exit code 1\\u0000\"");

        JsonNode result = awaitStatus(execution.id(), ExecutionStatus.FAILED).result();
        assertThat(result.get("value").asString()).isEqualTo("exit code 1\uFFFD");
        assertThat(result.get(StorableResult.NOTES)).hasSize(1);
    }

    @Test
    void aResultTooLargeToKeepFailsTheExecutionWithTheReason() {
        Execution execution = runningExecution();
        String huge = "x".repeat(StorableResult.MAX_BYTES);
        publish(execution, "completed", "{\"output\": \"" + huge + "\"}");

        JsonNode result = awaitStatus(execution.id(), ExecutionStatus.FAILED).result();
        int size = StorableResult.MAX_BYTES + "{\"output\":\"\"}".length();
        assertThat(result).isEqualTo(Json.object()
                .put("error", "the result is " + size + " bytes; at most " + StorableResult.MAX_BYTES
                        + " can be stored, so it was not kept")
                .put("result_bytes", size));
        assertThat(count("attune.execution.reports.unstorable")).isPositive();
    }

    @Test
    void aResultTheDatabaseRefusesForAnyOtherReasonFailsTheExecutionWithTheDatabasesReason() {
        // stands for any value Postgres refuses (SQLSTATE class 22): a trigger refuses results marked "poison"
        jdbc.sql("""
                CREATE OR REPLACE FUNCTION attune.test_refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.result ? 'poison' THEN
                        RAISE EXCEPTION 'value cannot be stored' USING ERRCODE = '22023';
                    END IF;
                    RETURN NEW;
                END $$""").update();
        jdbc.sql("CREATE TRIGGER test_refuse_poison BEFORE UPDATE ON attune.execution FOR EACH ROW "
                + "EXECUTE FUNCTION attune.test_refuse_poison()").update();
        try {
            Execution execution = runningExecution();
            publish(execution, "completed", "{\"poison\": true}");

            JsonNode result = awaitStatus(execution.id(), ExecutionStatus.FAILED).result();
            assertThat(result).isEqualTo(Json.object()
                    .put("error", "the result could not be stored: ERROR: value cannot be stored"));
            Execution next = runningExecution();
            publish(next, "completed", "{\"ok\": true}");
            assertThat(awaitStatus(next.id(), ExecutionStatus.COMPLETED).result()).isEqualTo(Json.tree("{\"ok\": true}"));
        } finally {
            jdbc.sql("DROP TRIGGER test_refuse_poison ON attune.execution").update();
        }
    }

}
