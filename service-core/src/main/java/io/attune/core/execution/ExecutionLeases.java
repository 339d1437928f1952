package io.attune.core.execution;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

import static io.attune.core.JsonColumns.instant;

/**
 * SQL for {@code attune.execution_lease}: a worker holds one per execution it runs and renews it while the action
 * runs; an executor fails the execution of a lease left unrenewed too long ("worker lost"). Every time is the
 * database's clock, so that workers and executors on hosts whose clocks differ still agree.
 */
@Repository
public class ExecutionLeases {
    private final JdbcClient jdbc;

    public ExecutionLeases(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A lease not renewed since {@code renewedAt}, locked with its execution by {@link #lockLapsed}. */
    public record Lapsed(long executionId, String worker, Instant renewedAt) {
    }

    /** Takes the lease of a just-claimed execution (in the claim's transaction). */
    public void acquire(long executionId, String worker) {
        jdbc.sql("INSERT INTO attune.execution_lease (execution_id, worker) VALUES (?, ?)")
                .params(executionId, worker).update();
    }

    /**
     * Renews the worker's leases on the given executions; returns the executions whose lease it still held (a
     * missing one was taken by an executor's sweep: the execution was failed as "worker lost").
     */
    public List<Long> renew(Collection<Long> executionIds, String worker) {
        if (executionIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("UPDATE attune.execution_lease SET renewed_at = now() "
                        + "WHERE execution_id = ANY(?) AND worker = ? RETURNING execution_id")
                .params(executionIds.toArray(Long[]::new), worker)
                .query(Long.class).list();
    }

    /** Gives the lease up (with the outcome's transaction); false when the worker no longer held it. */
    public boolean release(long executionId, String worker) {
        return jdbc.sql("DELETE FROM attune.execution_lease WHERE execution_id = ? AND worker = ?")
                .params(executionId, worker).update() > 0;
    }

    /**
     * Up to {@code limit} leases not renewed for {@code lostAfter}, oldest first, each locked together with its
     * execution until the transaction ends. Rows another transaction holds (another executor's sweep, a report being
     * stored, a renewal) are skipped, not waited for: replicas sweeping at once split the work.
     */
    List<Lapsed> lockLapsed(Duration lostAfter, int limit) {
        return jdbc.sql("SELECT l.execution_id, l.worker, l.renewed_at FROM attune.execution_lease l "
                        + "JOIN attune.execution e ON e.id = l.execution_id "
                        + "WHERE l.renewed_at < now() - make_interval(secs => ?) "
                        + "ORDER BY l.renewed_at LIMIT ? FOR UPDATE OF l, e SKIP LOCKED")
                .params(lostAfter.toMillis() / 1000.0, limit)
                .query((rs, n) -> new Lapsed(rs.getLong("execution_id"), rs.getString("worker"),
                        instant(rs, "renewed_at")))
                .list();
    }

    void delete(Collection<Long> executionIds) {
        if (!executionIds.isEmpty()) {
            jdbc.sql("DELETE FROM attune.execution_lease WHERE execution_id = ANY(?)")
                    .param(executionIds.toArray(Long[]::new)).update();
        }
    }
}
