package io.attune.core.event;

import io.attune.core.background.BackgroundLoop;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Keeps the stored event trail to its retention: deletes published events older than {@code attune.event.retention},
 * oldest id first, in batches on the id index, looping until it has caught up — so it keeps pace with any rate the
 * suite can store events at, instead of a fixed number per period.
 *
 * <ul>
 *   <li>Only published events go: the relay publishes in id order and records the last id it published, so an
 *       unpublished event (and every later one) stays. The retention counts from {@code sequenced_at}, written by
 *       the relay with the id (just before it publishes): it grows with the id, so the oldest ids are the oldest.</li>
 *   <li>Each batch is one statement: the delete and the new {@code attune.event_retention.pruned_through} (the newest
 *       id deleted so far) commit together; the next batch starts after it.</li>
 *   <li>Several processes run a pruner; a Postgres advisory lock lets one at a time work, the others skip the run.</li>
 *   <li>Space: every event leaves dead row versions (its update, then its deletion) that only a vacuum makes
 *       reusable. When nothing has vacuumed the table for a minute and it holds more dead rows than a batch,
 *       the pruner vacuums it itself, so that the table's size follows its rows even on a server whose autovacuum
 *       is busy elsewhere (benchmarks.md, figure 8).</li>
 * </ul>
 */
public class EventPruner extends BackgroundLoop {
    private static final Logger log = LoggerFactory.getLogger(EventPruner.class);
    /** Advisory lock key: "attune.prune". */
    private static final long LOCK_KEY = 0x61747475_6e650002L;

    static final String PRUNE = """
            WITH doomed AS (
                DELETE FROM attune.event WHERE outbox_id IN (
                    SELECT outbox_id FROM attune.event
                    WHERE id > ? AND id <= (SELECT published_through FROM attune.event_relay)
                    ORDER BY id LIMIT ?)
                AND sequenced_at < now() - make_interval(secs => ?)
                RETURNING id),
            horizon AS (
                UPDATE attune.event_retention
                SET pruned_through = greatest(pruned_through, (SELECT max(id) FROM doomed))
                WHERE EXISTS (SELECT 1 FROM doomed))
            SELECT count(*), coalesce(max(id), 0) FROM doomed""";
    /**
     * Whether the table needs the pruner's vacuum: many dead rows (the statistics, plus what this run deleted, which
     * they may not count yet), and no vacuum for {@code attune.event.vacuum-after}.
     */
    static final String NEEDS_VACUUM = """
            SELECT n_dead_tup + ? >= ? AND greatest(coalesce(last_vacuum, 'epoch'), coalesce(last_autovacuum, 'epoch'))
                   < now() - make_interval(secs => ?)
            FROM pg_stat_user_tables WHERE relid = 'attune.event'::regclass""";

    private final DataSource dataSource;
    private final RetentionSettings settings;
    private final Counter pruned;
    private final Counter vacuums;
    private volatile boolean stopped;

    public EventPruner(DataSource dataSource, RetentionSettings settings, MeterRegistry meters) {
        super("event-pruner");
        this.dataSource = dataSource;
        this.settings = settings;
        this.pruned = Counter.builder("attune.event.pruned").description("stored events deleted by retention")
                .register(meters);
        this.vacuums = Counter.builder("attune.event.vacuums")
                .description("vacuums of the event table run by the pruner because autovacuum was behind")
                .register(meters);
    }

    @Override
    public void stop() {
        stopped = true; // ends a prune between two batches too
        super.stop();
    }

    @Override
    protected void loop() {
        while (isRunning()) {
            try {
                Thread.sleep(settings.pruneInterval().toMillis());
                prune();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) { // the next run tries again; nothing is lost by waiting
                log.warn("Pruning the event trail failed, next try in {}: {}", settings.pruneInterval(),
                        e.getMessage());
            }
        }
    }

    /**
     * Deletes every published event past the retention, batch after batch; returns how many (0 when another process
     * is pruning). Public for tests and the benchmark.
     */
    public long prune() throws SQLException {
        long total = 0;
        long started = System.nanoTime();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            if (!tryLock(c)) {
                return 0;
            }
            try {
                long after = prunedThrough(c);
                while (!stopped) {
                    long[] batch = pruneBatch(c, after);
                    total += batch[0];
                    pruned.increment(batch[0]);
                    if (batch[0] < settings.pruneBatch()) {
                        break; // caught up: the oldest remaining event is within the retention (or unpublished)
                    }
                    after = batch[1];
                }
                if (total > 0) {
                    vacuumIfBehind(c, total);
                }
            } finally {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT pg_advisory_unlock(" + LOCK_KEY + ")");
                }
            }
        }
        if (total > 0) {
            log.info("Pruned {} events older than {} in {} ms", total, settings.retention(),
                    (System.nanoTime() - started) / 1_000_000);
        }
        return total;
    }

    /** VACUUM outside any transaction; a role that does not own the table gets a warning from Postgres, no error. */
    private void vacuumIfBehind(Connection c, long deleted) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(NEEDS_VACUUM)) {
            ps.setLong(1, deleted);
            ps.setInt(2, settings.pruneBatch());
            ps.setDouble(3, settings.vacuumAfter().toMillis() / 1000.0);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return;
                }
            }
        }
        long started = System.nanoTime();
        try (Statement s = c.createStatement()) {
            s.execute("VACUUM (SKIP_LOCKED) attune.event");
        }
        vacuums.increment();
        log.info("Vacuumed attune.event in {} ms (nothing had for {})", (System.nanoTime() - started) / 1_000_000,
                settings.vacuumAfter());
    }

    private long[] pruneBatch(Connection c, long after) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(PRUNE)) {
            ps.setLong(1, after);
            ps.setInt(2, settings.pruneBatch());
            ps.setDouble(3, settings.retention().toMillis() / 1000.0);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[]{rs.getLong(1), rs.getLong(2)};
            }
        }
    }

    private static long prunedThrough(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pruned_through FROM attune.event_retention")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static boolean tryLock(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_try_advisory_lock(" + LOCK_KEY + ")")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
