package io.attune.executor.resume;

import com.rabbitmq.client.GetResponse;
import io.attune.core.execution.Execution;
import io.attune.core.identity.Identity;
import io.attune.core.inquiry.Inquiry;
import io.attune.core.inquiry.InquiryTransitions;
import io.attune.executor.ExecutorIntegrationTest;
import io.attune.model.ExecutionStatus;
import io.attune.model.json.Json;
import io.attune.model.message.ExecutionStatusChanged;
import io.attune.model.message.InquiryResponded;
import io.attune.model.message.MessageEnvelope;
import io.attune.model.message.MessagePayload;
import io.attune.testsupport.BrokerProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The executor resumes an execution with the answer as stored — secrets included — although the InquiryResponded it
 * consumes carries them masked; the ExecutionStatusChanged it announces, a dead-lettered answer and its log lines
 * carry none.
 */
@SpringBootTest(classes = io.attune.executor.ExecutorApplication.class, properties = "attune.amqp.max-attempts=2")
@ExtendWith(OutputCaptureExtension.class)
class SecretAnswerResumeTest extends ExecutorIntegrationTest {
    static final String SECRET = "Wd3-resume-secret-value";
    static final JsonNode SCHEMA = Json.tree("""
            {"type": "object", "required": ["approved"], "properties": {
               "approved": {"type": "boolean"},
               "db": {"type": "object", "properties": {"password": {"type": "string", "secret": true}}}}}""");
    static final JsonNode ANSWER = Json.tree("{\"approved\": true, \"db\": {\"password\": \"" + SECRET + "\"}}");
    static final JsonNode SHOWN = Json.tree("{\"approved\": true, \"db\": {\"password\": \"********\"}}");

    @Autowired
    InquiryTransitions inquiryTransitions;

    /** A worker's report with {@code __inquiry}, consumed by the executor: the paused execution's inquiry. */
    Inquiry pausedOnASecretQuestion(Identity approver) {
        Execution execution = runningExecution();
        try (BrokerProbe probe = probe("nothing.to.see")) {
            probe.publish(report(execution, ExecutionStatus.COMPLETED, Json.tree("""
                    {"__inquiry": {"prompt": "Database password for the migration?", "response_schema": %s,
                                   "assigned_to": %d}}""".formatted(SCHEMA, approver.id()))));
        }
        awaitStatus(execution.id(), ExecutionStatus.PAUSED);
        return inquiriesOf(execution.id()).get(0);
    }

    @Test
    void theResumedExecutionReceivesTheAnswerAndItsAnnouncementShowsItMasked(CapturedOutput output) {
        Identity approver = identity();
        Inquiry inquiry = pausedOnASecretQuestion(approver);
        try (BrokerProbe probe = probe("inquiry.responded", "execution.status.changed")) {
            inquiryTransitions.respond(inquiry.id(), approver.actor(), ANSWER, null);

            InquiryResponded consumed = (InquiryResponded) probe.takeMatching(
                    m -> m.payload() instanceof InquiryResponded r && r.inquiryId() == inquiry.id(), WAIT).payload();
            assertThat(consumed.response()).as("what the executor consumes").isEqualTo(SHOWN);

            Execution resumed = awaitStatus(inquiry.execution(), ExecutionStatus.COMPLETED);
            assertThat(resumed.result().get("__inquiry").get("response")).as("what the execution receives")
                    .isEqualTo(ANSWER);
            MessageEnvelope<MessagePayload> announced = probe.takeMatching(
                    m -> m.payload() instanceof ExecutionStatusChanged c && c.executionId() == inquiry.execution()
                            && c.status() == ExecutionStatus.COMPLETED, WAIT);
            assertThat(((ExecutionStatusChanged) announced.payload()).result().get("__inquiry").get("response"))
                    .isEqualTo(SHOWN);
        }
        assertThat(storedEvents(inquiry.execution())).isNotEmpty().noneMatch(e -> e.contains(SECRET));
        assertThat(output.getAll()).doesNotContain(SECRET);
    }

    @Test
    void anAnswerThatCannotBeAppliedIsDeadLetteredAndLoggedWithoutItsSecrets(CapturedOutput output) {
        Identity approver = identity();
        Inquiry inquiry = pausedOnASecretQuestion(approver);
        // A trigger the suite does not have, so that resuming this execution fails as a defect would, with an error
        // whose detail quotes the row being written (as Postgres's own "Failing row contains (...)" does).
        String trigger = "test_refuses_resume_" + inquiry.execution();
        jdbc.sql("""
                CREATE FUNCTION attune.%1$s() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  RAISE EXCEPTION 'resume refused by %1$s' USING DETAIL = 'new row: ' || NEW.result::text;
                END $$""".formatted(trigger)).update();
        jdbc.sql("CREATE TRIGGER " + trigger + " BEFORE UPDATE ON attune.execution FOR EACH ROW WHEN (NEW.id = "
                + inquiry.execution() + " AND NEW.status = 'completed') EXECUTE FUNCTION attune." + trigger + "()")
                .update();
        try (BrokerProbe probe = probe("nothing.to.see")) {
            inquiryTransitions.respond(inquiry.id(), approver.actor(), ANSWER, null);

            GetResponse dead = probe.takeFrom(queue(RESPONDED_QUEUE + ".dlq"), 1, WAIT).get(0);
            assertThat(dead.getProps().getHeaders().get("x-attune-error").toString()).contains(trigger);
            assertThat(dead.getProps().getHeaders().toString()).doesNotContain(SECRET);
            assertThat(new String(dead.getBody(), StandardCharsets.UTF_8)).contains("********").doesNotContain(SECRET);
            await().atMost(WAIT).until(() -> output.getAll().contains("dead-lettered"));
            assertThat(output.getAll()).contains(trigger).doesNotContain(SECRET);
        } finally {
            jdbc.sql("DROP TRIGGER " + trigger + " ON attune.execution").update();
            jdbc.sql("DROP FUNCTION attune." + trigger + "()").update();
        }
        assertThat(executions.find(inquiry.execution()).orElseThrow().status()).isEqualTo(ExecutionStatus.PAUSED);
    }

    List<String> storedEvents(long executionId) {
        return jdbc.sql("SELECT envelope::text FROM attune.event WHERE execution_id = ?").param(executionId)
                .query(String.class).list();
    }
}
