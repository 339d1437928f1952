package io.attune.bench;

import io.attune.model.ExecutionStatus;
import io.attune.model.json.Json;
import io.attune.model.message.ExecutionStatusChanged;
import io.attune.model.message.InquiryCreated;
import io.attune.model.message.MessageEnvelope;
import io.attune.model.message.MessagePayload;
import io.attune.model.message.Messages;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pgbench script is the ceiling only while it commits what the completion listener commits: these checks keep
 * its JSON equal to what the benchmark publishes and its envelopes readable as the wire's.
 */
class BenchScriptTest {
    private static final Pattern ENVELOPE = Pattern.compile("'(\\{\"message_id\".*?\\})'::jsonb");

    @Test
    void oneTransactionWithTheListenersStatements() {
        List<String> statements = Ceiling.statements();
        assertThat(statements).first().asString().startsWith("SELECT nextval('bench_pick') AS exec_id \\gset");
        assertThat(statements.subList(1, statements.size())).hasSize(8);
        assertThat(statements.get(1)).isEqualTo("BEGIN;");
        assertThat(statements.get(2)).startsWith("SELECT id, action_ref").endsWith("WHERE id = :exec_id FOR UPDATE;");
        assertThat(statements.get(3)).startsWith("INSERT INTO attune.inquiry ").contains(" RETURNING id, execution");
        assertThat(statements.get(4)).startsWith("UPDATE attune.execution SET status = 'paused'");
        assertThat(statements.get(5)).startsWith("INSERT INTO attune.inquiry_audit ").contains("'created'");
        assertThat(statements.get(6)).startsWith("INSERT INTO attune.event ").contains("'InquiryCreated'");
        assertThat(statements.get(7)).startsWith("INSERT INTO attune.event ").contains("'ExecutionStatusChanged'");
        assertThat(statements.get(8)).isEqualTo("COMMIT;");
    }

    @Test
    void storesWhatTheBenchmarkPublishes() {
        String script = Ceiling.script();
        assertThat(script).contains("result = " + pgbenchSafe(Workload.literal(Workload.result())) + "::jsonb");
        assertThat(script).contains("'" + Workload.PROMPT + "', " + Workload.literal(Workload.SCHEMA) + "::jsonb");
        assertThat(script).contains("make_interval(secs => " + Workload.TIMEOUT_SECONDS + ")");
    }

    @Test
    void itsEnvelopesAreTheWiresWithTheWorkloadsContent() {
        List<MessageEnvelope<MessagePayload>> envelopes = new ArrayList<>();
        Matcher m = ENVELOPE.matcher(Ceiling.script());
        while (m.find()) {
            envelopes.add(Messages.read(m.group(1)));
        }
        assertThat(envelopes).hasSize(2);
        InquiryCreated created = (InquiryCreated) envelopes.get(0).payload();
        assertThat(created.prompt()).isEqualTo(Workload.PROMPT);
        assertThat(created.responseSchema()).isEqualTo(Workload.SCHEMA);
        assertThat(envelopes.get(0).headers()).containsEntry("source_service", "executor-service");
        ExecutionStatusChanged changed = (ExecutionStatusChanged) envelopes.get(1).payload();
        assertThat(changed.previousStatus()).isEqualTo(ExecutionStatus.RUNNING);
        assertThat(changed.status()).isEqualTo(ExecutionStatus.PAUSED);
        assertThat(Json.write(changed.result())).isEqualTo(Json.write(Workload.result()));
        // as big as the executor's own (Outbox writes Json.write of the envelope)
        assertThat(m.reset().results().map(r -> Json.write(Json.tree(r.group(1))).length()).toList()).containsExactly(
                Json.write(MessageEnvelope.of(created, envelopes.get(0).correlationId(), "executor-service")).length(),
                Json.write(MessageEnvelope.of(changed, envelopes.get(1).correlationId(), "executor-service")).length());
    }

    /**
     * pgbench (in prepared mode) takes every {@code :name} for a variable, inside string literals too: the JSON
     * writes {@code ": null"} with a space, and only the script's own variables follow a single colon.
     */
    @Test
    void noVariableHidesInTheLiterals() {
        assertThat(variables(Ceiling.script())).containsExactlyInAnyOrder("exec_id", "inquiry_id");
        // the respond ceiling's audit entry carries canonical JSON, which has no space after a colon
        assertThat(variables(Ceiling.script(Ceiling.RESPOND_SCRIPT)))
                .containsExactlyInAnyOrder("inquiry_id", "actor_id");
    }

    private static List<String> variables(String script) {
        return Pattern.compile("(?<!:):(?!:)([A-Za-z_][A-Za-z0-9_]*)").matcher(script).results().map(r -> r.group(1))
                .distinct().toList();
    }

    private static String pgbenchSafe(String json) {
        return json.replace("\":null", "\": null");
    }

    @Test
    void parsesPgbenchsSummary() {
        String output = """
                transaction type: completion-listener.pgbench.sql
                number of clients: 2
                number of transactions per client: 1000
                number of transactions actually processed: 2000/2000
                number of failed transactions: 0 (0.000%)
                latency average = 1.234 ms
                initial connection time = 5.0 ms
                tps = 1620.123456 (without initial connection time)
                """;
        Ceiling.Result result = Ceiling.parse(output, 2, 1000);
        assertThat(result.tps()).isEqualTo(1620.123456);
        assertThat(result.latencyMillis()).isEqualTo(1.234);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Ceiling.parse(
                output.replace("failed transactions: 0", "failed transactions: 3"), 2, 1000))
                .hasMessageContaining("failed transactions");
    }
}
