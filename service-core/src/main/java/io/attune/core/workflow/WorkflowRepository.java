package io.attune.core.workflow;

import io.attune.model.json.Json;
import io.attune.model.rest.InquiryWorkflow;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;

import java.sql.Array;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.attune.core.JsonColumns.instant;
import static io.attune.core.JsonColumns.json;
import static io.attune.core.JsonColumns.nullableLong;
import static io.attune.core.JsonColumns.text;

/** SQL for workflow definitions, runs, task runs, join arrivals and decisions (docs/workflows.md). */
@Repository
public class WorkflowRepository {
    /** A definition as a worker registered it; {@code errors} is null when it is valid. */
    public record Definition(String ref, String file, String source, String checksum, List<String> input,
                             JsonNode errors, JsonNode outline) {
        public boolean valid() {
            return errors == null || errors.isNull();
        }
    }

    /** The definition a workflow execution started with. */
    public record Run(long execution, String ref, String file, String source, String checksum, JsonNode outline) {
    }

    /** One run of a task: its child execution, the run that caused it, its result once finished. */
    public record TaskRun(long id, long workflow, String task, long execution, Long causedBy, JsonNode result,
                          Instant finished) {
    }

    /** One step's record: what finished, what was chosen and why. */
    public record Decision(long id, Long taskRun, String task, String outcome, JsonNode chosen, String reason,
                           Instant created) {
    }

    private static final RowMapper<Definition> DEFINITION = (rs, n) -> new Definition(rs.getString("ref"),
            rs.getString("file"), rs.getString("source"), rs.getString("checksum"), strings(rs.getArray("input")),
            json(rs, "errors"), json(rs, "outline"));
    private static final RowMapper<Run> RUN = (rs, n) -> new Run(rs.getLong("execution"), rs.getString("ref"),
            rs.getString("file"), rs.getString("source"), rs.getString("checksum"), json(rs, "outline"));
    private static final String TASK_RUN_COLUMNS = "id, workflow, task, execution, caused_by, result::text AS result, "
            + "finished";
    private static final RowMapper<TaskRun> TASK_RUN = (rs, n) -> new TaskRun(rs.getLong("id"),
            rs.getLong("workflow"), rs.getString("task"), rs.getLong("execution"), nullableLong(rs, "caused_by"),
            json(rs, "result"), instant(rs, "finished"));

    private final JdbcClient jdbc;

    public WorkflowRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The workflow each of these executions is a task run of, by execution id (absent: not a task run). One indexed
     * join however many there are, so that a page of inquiries names its workflows in one round trip.
     */
    public Map<Long, InquiryWorkflow> workflowsOf(Collection<Long> executions) {
        if (executions.isEmpty()) {
            return Map.of();
        }
        Map<Long, InquiryWorkflow> found = new HashMap<>();
        jdbc.sql("SELECT e.id, r.execution, r.ref FROM attune.execution e "
                        + "JOIN attune.workflow_run r ON r.execution = e.parent WHERE e.id = ANY(?)")
                .param(executions.stream().distinct().toArray(Long[]::new))
                .query(rs -> {
                    found.put(rs.getLong("id"), new InquiryWorkflow(rs.getLong("execution"), rs.getString("ref")));
                });
        return found;
    }

    // --- definitions -----------------------------------------------------------------------------------------------

    /** Registers (or replaces) a definition as found in a pack. */
    public void register(String ref, String file, String source, String checksum, List<String> input,
                         JsonNode errors, JsonNode outline) {
        jdbc.sql("INSERT INTO attune.workflow_definition (ref, file, source, checksum, input, errors, outline) "
                        + "VALUES (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb) ON CONFLICT (ref) DO UPDATE SET "
                        + "file = EXCLUDED.file, source = EXCLUDED.source, checksum = EXCLUDED.checksum, "
                        + "input = EXCLUDED.input, errors = EXCLUDED.errors, outline = EXCLUDED.outline, "
                        + "registered = now()")
                .params(ref, file, source, checksum, input.toArray(String[]::new), text(errors), text(outline))
                .update();
    }

    public Optional<Definition> definition(String ref) {
        return jdbc.sql("SELECT ref, file, source, checksum, input, errors::text AS errors, outline::text AS outline "
                        + "FROM attune.workflow_definition WHERE ref = ?")
                .param(ref).query(DEFINITION).optional();
    }

    // --- runs ------------------------------------------------------------------------------------------------------

    public void insertRun(long execution, Definition definition) {
        jdbc.sql("INSERT INTO attune.workflow_run (execution, ref, file, source, checksum, outline) "
                        + "VALUES (?, ?, ?, ?, ?, ?::jsonb)")
                .params(execution, definition.ref(), definition.file(), definition.source(), definition.checksum(),
                        text(definition.outline()))
                .update();
    }

    public Optional<Run> run(long execution) {
        return jdbc.sql("SELECT execution, ref, file, source, checksum, outline::text AS outline FROM attune.workflow_run "
                        + "WHERE execution = ?")
                .param(execution).query(RUN).optional();
    }

    public boolean isWorkflow(long execution) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM attune.workflow_run WHERE execution = ?)").param(execution)
                .query(Boolean.class).single();
    }

    // --- task runs -------------------------------------------------------------------------------------------------

    /** Records a task run; empty when this arrival was already recorded (a step taken twice). */
    public Optional<Long> insertTaskRun(long workflow, String task, long execution, Long causedBy) {
        return jdbc.sql("INSERT INTO attune.workflow_task_run (workflow, task, execution, caused_by) "
                        + "VALUES (?, ?, ?, ?) ON CONFLICT ON CONSTRAINT workflow_task_run_once_per_arrival "
                        + "DO NOTHING RETURNING id")
                .params(workflow, task, execution, causedBy).query(Long.class).optional();
    }

    public boolean arrivalRecorded(long workflow, String task, Long causedBy) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM attune.workflow_task_run WHERE workflow = ? AND task = ? "
                        + "AND caused_by IS NOT DISTINCT FROM ?)")
                .params(workflow, task, causedBy).query(Boolean.class).single();
    }

    public Optional<TaskRun> taskRunOf(long execution) {
        return jdbc.sql("SELECT " + TASK_RUN_COLUMNS + " FROM attune.workflow_task_run WHERE execution = ?")
                .param(execution).query(TASK_RUN).optional();
    }

    /** Which of {@code executions} are task runs, each with its workflow: one statement for a batch of changes. */
    public Map<Long, Long> workflowsOfTaskRuns(Collection<Long> executions) {
        Map<Long, Long> workflows = new HashMap<>();
        jdbc.sql("SELECT execution, workflow FROM attune.workflow_task_run WHERE execution = ANY(?)")
                .param(executions.toArray(Long[]::new))
                .query((RowCallbackHandler) rs -> workflows.put(rs.getLong("execution"), rs.getLong("workflow")));
        return workflows;
    }

    public List<TaskRun> taskRuns(long workflow) {
        return jdbc.sql("SELECT " + TASK_RUN_COLUMNS + " FROM attune.workflow_task_run WHERE workflow = ? ORDER BY id")
                .param(workflow).query(TASK_RUN).list();
    }

    /** Marks a task run finished with its result; false when it already was (the step was taken). */
    public boolean finish(long taskRun, JsonNode result) {
        return jdbc.sql("UPDATE attune.workflow_task_run SET result = ?::jsonb, finished = now() "
                        + "WHERE id = ? AND finished IS NULL")
                .params(text(result), taskRun).update() == 1;
    }

    // --- joins -----------------------------------------------------------------------------------------------------

    /** Records that {@code fromTask} (run {@code fromRun}) arrived at join {@code task}. */
    public void arrive(long workflow, String task, String fromTask, long fromRun) {
        jdbc.sql("INSERT INTO attune.workflow_join_arrival (workflow, task, from_task, from_run) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT DO NOTHING")
                .params(workflow, task, fromTask, fromRun).update();
    }

    /** The tasks that arrived at join {@code task} and wait for it to run. */
    public List<String> waitingArrivals(long workflow, String task) {
        return jdbc.sql("SELECT DISTINCT from_task FROM attune.workflow_join_arrival WHERE workflow = ? AND task = ? "
                        + "AND consumed_by IS NULL ORDER BY from_task")
                .params(workflow, task).query(String.class).list();
    }

    /** Joins some task arrived at that have not run yet. */
    public List<String> waitingJoins(long workflow) {
        return jdbc.sql("SELECT DISTINCT task FROM attune.workflow_join_arrival WHERE workflow = ? "
                        + "AND consumed_by IS NULL ORDER BY task")
                .param(workflow).query(String.class).list();
    }

    public void consumeArrivals(long workflow, String task, long run) {
        jdbc.sql("UPDATE attune.workflow_join_arrival SET consumed_by = ? WHERE workflow = ? AND task = ? "
                        + "AND consumed_by IS NULL")
                .params(run, workflow, task).update();
    }

    // --- decisions -------------------------------------------------------------------------------------------------

    public void decide(long workflow, Long taskRun, String task, String outcome, JsonNode chosen, String reason) {
        jdbc.sql("INSERT INTO attune.workflow_decision (workflow, task_run, task, outcome, chosen, reason) "
                        + "VALUES (?, ?, ?, ?, ?::jsonb, ?)")
                .params(workflow, taskRun, task, outcome, chosen == null ? "[]" : Json.write(chosen), reason)
                .update();
    }

    public List<Decision> decisions(long workflow) {
        return jdbc.sql("SELECT id, task_run, task, outcome, chosen::text AS chosen, reason, created "
                        + "FROM attune.workflow_decision WHERE workflow = ? ORDER BY id")
                .param(workflow)
                .query((rs, n) -> new Decision(rs.getLong("id"), nullableLong(rs, "task_run"), rs.getString("task"),
                        rs.getString("outcome"), json(rs, "chosen"), rs.getString("reason"),
                        instant(rs, "created")))
                .list();
    }

    private static List<String> strings(Array array) throws java.sql.SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
