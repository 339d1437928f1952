package io.attune.core.audit;

import io.attune.model.audit.AuditChain;
import io.attune.model.audit.AuditEntry;
import io.attune.model.json.Json;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends entries to the chain inside the caller's transaction: locks the chain's head row (every replica of every
 * service waits here in turn, which is the chain's order), takes the next positions and ids, hashes each entry onto
 * the one before it, inserts them, and moves the head. The lock is released by the commit, so the next writer reads
 * a head that is committed: no two entries ever share a predecessor, and a rollback leaves the head where it was.
 */
@Component
public class ChainAppender {
    private static final String LOCK_HEAD = "SELECT seq, hash, now() AS now FROM attune.audit_chain_head FOR UPDATE";
    private static final String NEXT_IDS = "SELECT nextval('attune.inquiry_audit_id_seq') FROM generate_series(1, ?)";
    private static final String INSERT = "INSERT INTO attune.inquiry_audit "
            + "(id, seq, entity_type, entity_id, inquiry, action, actor_id, actor, occurred, details, hash) "
            + "VALUES (?, ?, ?, ?, ?, ?::attune.inquiry_action_enum, ?, ?, ?, ?::jsonb, ?)";
    private static final String MOVE_HEAD = "UPDATE attune.audit_chain_head SET seq = ?, hash = ?, last_id = ?";

    private final JdbcTemplate jdbc;
    private final Timer appendTime;

    public ChainAppender(JdbcTemplate jdbc, ObjectProvider<MeterRegistry> meters) {
        this.jdbc = jdbc;
        this.appendTime = Timer.builder("attune.audit.append")
                .description("Time to append a transaction's entries to the audit chain, waiting for its lock included")
                .register(meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    void append(List<AuditTrail.PendingEntry> pending) {
        appendTime.record(() -> appendLocked(pending));
    }

    private void appendLocked(List<AuditTrail.PendingEntry> pending) {
        Head head = jdbc.queryForObject(LOCK_HEAD, (rs, n) -> new Head(rs.getLong("seq"), rs.getString("hash"),
                rs.getObject("now", OffsetDateTime.class).toInstant()));
        List<Long> ids = jdbc.queryForList(NEXT_IDS, Long.class, pending.size());
        List<AuditEntry> entries = new ArrayList<>(pending.size());
        String previous = head.hash();
        for (int i = 0; i < pending.size(); i++) {
            AuditTrail.PendingEntry entry = pending.get(i);
            AuditEntry unhashed = new AuditEntry(ids.get(i), head.seq() + i + 1, entry.subject().type(),
                    entry.subject().id(), entry.action(), entry.actor().login(), entry.actor().id(), head.now(),
                    entry.details() == null || entry.details().isNull() ? null : entry.details(), null);
            String hash = AuditChain.hash(previous, unhashed);
            entries.add(new AuditEntry(unhashed.id(), unhashed.seq(), unhashed.entityType(), unhashed.entityId(),
                    unhashed.action(), unhashed.actor(), unhashed.actorId(), unhashed.occurred(), unhashed.details(),
                    hash));
            previous = hash;
        }
        jdbc.batchUpdate(INSERT, entries, 1000, (ps, entry) -> {
            boolean inquiry = AuditSubject.INQUIRY.equals(entry.entityType());
            ps.setLong(1, entry.id());
            ps.setLong(2, entry.seq());
            ps.setString(3, entry.entityType());
            if (inquiry) {
                ps.setNull(4, Types.VARCHAR);
                ps.setLong(5, Long.parseLong(entry.entityId()));
            } else {
                ps.setString(4, entry.entityId());
                ps.setNull(5, Types.BIGINT);
            }
            ps.setString(6, entry.action());
            if (entry.actorId() == null) {
                ps.setNull(7, Types.BIGINT);
            } else {
                ps.setLong(7, entry.actorId());
            }
            ps.setString(8, entry.actor());
            ps.setObject(9, OffsetDateTime.ofInstant(entry.occurred(), java.time.ZoneOffset.UTC));
            ps.setString(10, entry.details() == null ? null : Json.write(entry.details()));
            ps.setString(11, entry.hash());
        });
        AuditEntry last = entries.get(entries.size() - 1);
        jdbc.update(MOVE_HEAD, last.seq(), last.hash(), last.id());
    }

    private record Head(long seq, String hash, Instant now) {
    }
}
