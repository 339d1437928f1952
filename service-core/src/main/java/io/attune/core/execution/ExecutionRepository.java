package io.attune.core.execution;

import io.attune.core.persistence.ReadOnlyEntities;
import io.attune.model.ExecutionStatus;
import io.attune.model.json.Json;
import jakarta.persistence.EntityManager;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.attune.core.JsonColumns.instant;
import static io.attune.core.JsonColumns.json;
import static io.attune.core.JsonColumns.nullableLong;
import static io.attune.core.JsonColumns.text;

/** SQL for executions. Which change is allowed when is decided by the transitions, not here. */
@Repository
public class ExecutionRepository {
    static final String COLUMNS = columns("");
    static final RowMapper<Execution> ROW = (rs, n) -> new Execution(rs.getLong("id"), rs.getString("action_ref"),
            json(rs, "parameters"), ExecutionStatus.fromWire(rs.getString("status")), json(rs, "result"),
            nullableLong(rs, "requested_by"), instant(rs, "created"), instant(rs, "updated"),
            nullableLong(rs, "parent"));

    private final JdbcClient jdbc;
    private final ExecutionEntities entities;
    private final ReadOnlyEntities read;

    public ExecutionRepository(JdbcClient jdbc, ExecutionEntities entities, EntityManager entityManager) {
        this.jdbc = jdbc;
        this.entities = entities;
        this.read = new ReadOnlyEntities(entityManager);
    }

    public Execution insert(String actionRef, JsonNode parameters, Long requestedBy) {
        return jdbc.sql("INSERT INTO attune.execution (action_ref, parameters, requested_by) VALUES (?, ?::jsonb, ?) "
                        + "RETURNING " + COLUMNS)
                .params(actionRef, parameters == null ? "{}" : Json.write(parameters), requestedBy)
                .query(ROW).single();
    }

    /** A task run of workflow {@code parent}: a child execution, in status {@code requested}. */
    public Execution insertChild(long parent, String actionRef, JsonNode parameters, Long requestedBy) {
        return jdbc.sql("INSERT INTO attune.execution (action_ref, parameters, requested_by, parent) "
                        + "VALUES (?, ?::jsonb, ?, ?) RETURNING " + COLUMNS)
                .params(actionRef, parameters == null ? "{}" : Json.write(parameters), requestedBy, parent)
                .query(ROW).single();
    }

    /** The task runs of a workflow execution, oldest first. */
    public List<Execution> children(long parent) {
        return read.all(entities.findByParentOrderById(parent), ExecutionEntity::toRecord);
    }

    public Optional<Execution> find(long id) {
        return read.one(entities.findById(id), ExecutionEntity::toRecord);
    }

    /** Reads and locks the execution until the transaction ends, so that concurrent deliveries queue up. */
    // SQL: FOR UPDATE, the lock concurrent deliveries queue up on, read in the statement that takes it
    public Optional<Execution> lock(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM attune.execution WHERE id = ? FOR UPDATE").param(id)
                .query(ROW).optional();
    }

    /**
     * {@link #lock} for several executions in one statement, locked in id order (as {@link LockOrder} has every
     * batch lock them); those that do not exist are missing from the map.
     */
    // SQL: FOR UPDATE over id = ANY(?), sorted below the lock, so the rows are locked in id order
    public Map<Long, Execution> lockAll(Collection<Long> ids) {
        Map<Long, Execution> locked = new java.util.HashMap<>();
        jdbc.sql("SELECT " + COLUMNS + " FROM attune.execution WHERE id = ANY(?) ORDER BY id FOR UPDATE")
                .param(ids.toArray(Long[]::new)).query(ROW).list().forEach(e -> locked.put(e.id(), e));
        return locked;
    }

    /**
     * Moves the execution to {@code to} if it is in one of {@code from}; empty when it was not. {@code before} is the
     * execution as the caller holds it locked: what comes back is {@code before} with the new status and result, and
     * the time the database gave the change, not the row read again (a result is not parsed back from its column).
     */
    // SQL: the conditional update decides the one winner among concurrent changes (WHERE status = ANY(from))
    public Optional<Execution> update(Execution before, Collection<ExecutionStatus> from, ExecutionStatus to,
                                      JsonNode result) {
        return jdbc.sql("UPDATE attune.execution SET status = ?::attune.execution_status_enum, result = ?::jsonb "
                        + "WHERE id = ? AND status::text = ANY(?) RETURNING updated")
                .params(to.wire(), text(result), before.id(), wireNames(from))
                .query((rs, n) -> new Execution(before.id(), before.actionRef(), before.parameters(), to, result,
                        before.requestedBy(), before.created(), instant(rs, "updated"), before.parent()))
                .optional();
    }

    /**
     * Ends the wait of paused executions: each becomes {@code to}, with {@code __inquiry} in its result replaced by
     * the given outcome (JSON). Executions no longer paused are left alone and not returned.
     */
    // SQL: one set-wise conditional update (unnest, jsonb_set) for a whole batch of paused executions
    public List<Execution> finishPaused(Map<Long, JsonNode> outcomes, ExecutionStatus to) {
        if (outcomes.isEmpty()) {
            return List.of();
        }
        Long[] ids = outcomes.keySet().toArray(Long[]::new);
        String[] values = outcomes.keySet().stream().map(id -> Json.write(outcomes.get(id))).toArray(String[]::new);
        // the rows are locked in id order first, as every batch of every executor locks them: two batches that
        // share executions (a redelivered answer) wait for each other instead of deadlocking
        return jdbc.sql("WITH locked AS MATERIALIZED (SELECT id FROM attune.execution WHERE id = ANY(?) "
                        + "AND status = 'paused' ORDER BY id FOR UPDATE) "
                        + "UPDATE attune.execution e SET status = ?::attune.execution_status_enum, "
                        + "result = jsonb_set(CASE WHEN jsonb_typeof(e.result) = 'object' THEN e.result "
                        + "ELSE '{}'::jsonb END, '{__inquiry}', v.outcome) "
                        + "FROM unnest(?::bigint[], ?::jsonb[]) AS v(id, outcome), locked "
                        + "WHERE e.id = v.id AND locked.id = e.id AND e.status = 'paused' RETURNING " + columns("e."))
                .params(ids, to.wire(), ids, values)
                .query(ROW).list();
    }

    private static String columns(String alias) {
        return String.join(", ", alias + "id", alias + "action_ref", alias + "parameters::text AS parameters",
                alias + "status::text AS status", alias + "result::text AS result", alias + "requested_by",
                alias + "created", alias + "updated", alias + "parent");
    }

    private static String[] wireNames(Collection<ExecutionStatus> statuses) {
        return statuses.stream().map(ExecutionStatus::wire).toArray(String[]::new);
    }
}
