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

import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
    /**
     * The head, locked, and as many new ids as there are entries: the ids are taken once the lock is held (the
     * correlated sub-select runs only for the locked row), so they rise with the chain's positions.
     */
    private static final String LOCK_HEAD_AND_TAKE_IDS = "WITH head AS MATERIALIZED (SELECT seq, hash, now() AS now "
            + "FROM attune.audit_chain_head FOR UPDATE) SELECT head.seq, head.hash, head.now, "
            + "ARRAY(SELECT nextval('attune.inquiry_audit_id_seq') FROM generate_series(1, ?) "
            + "WHERE head.seq IS NOT NULL) AS ids FROM head";
    /** The entries (one array per column) and the head's move, in one statement. */
    private static final String INSERT_AND_MOVE_HEAD = "WITH entries AS (INSERT INTO attune.inquiry_audit "
            + "(id, seq, entity_type, entity_id, inquiry, action, actor_id, actor, occurred, details, hash) "
            + "SELECT e.id, e.seq, e.entity_type, e.entity_id, e.inquiry, e.action::attune.inquiry_action_enum, "
            + "e.actor_id, e.actor, ?, e.details::jsonb, e.hash FROM unnest(?::bigint[], ?::bigint[], ?::text[], "
            + "?::text[], ?::bigint[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[]) "
            + "AS e(id, seq, entity_type, entity_id, inquiry, action, actor_id, actor, details, hash)) "
            + "UPDATE attune.audit_chain_head SET seq = ?, hash = ?, last_id = ?";

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

    // Two round trips under the chain's lock (then the commit): the lock with the ids, the entries with the head.
    private void appendLocked(List<AuditTrail.PendingEntry> pending) {
        Head head = jdbc.queryForObject(LOCK_HEAD_AND_TAKE_IDS, (rs, n) -> new Head(rs.getLong("seq"),
                rs.getString("hash"), rs.getObject("now", OffsetDateTime.class).toInstant(),
                (Long[]) rs.getArray("ids").getArray()), pending.size());
        List<AuditEntry> entries = new ArrayList<>(pending.size());
        String previous = head.hash();
        for (int i = 0; i < pending.size(); i++) {
            AuditTrail.PendingEntry entry = pending.get(i);
            AuditEntry unhashed = new AuditEntry(head.ids()[i], head.seq() + i + 1, entry.subject().type(),
                    entry.subject().id(), entry.action(), entry.actor().login(), entry.actor().id(), head.now(),
                    entry.details() == null || entry.details().isNull() ? null : entry.details(), null);
            String hash = AuditChain.hash(previous, unhashed);
            entries.add(new AuditEntry(unhashed.id(), unhashed.seq(), unhashed.entityType(), unhashed.entityId(),
                    unhashed.action(), unhashed.actor(), unhashed.actorId(), unhashed.occurred(), unhashed.details(),
                    hash));
            previous = hash;
        }
        int n = entries.size();
        Long[] ids = new Long[n];
        Long[] seqs = new Long[n];
        String[] types = new String[n];
        String[] entityIds = new String[n];
        Long[] inquiries = new Long[n];
        String[] actions = new String[n];
        Long[] actorIds = new Long[n];
        String[] actors = new String[n];
        String[] details = new String[n];
        String[] hashes = new String[n];
        for (int i = 0; i < n; i++) {
            AuditEntry entry = entries.get(i);
            boolean inquiry = AuditSubject.INQUIRY.equals(entry.entityType());
            ids[i] = entry.id();
            seqs[i] = entry.seq();
            types[i] = entry.entityType();
            entityIds[i] = inquiry ? null : entry.entityId();
            inquiries[i] = inquiry ? Long.parseLong(entry.entityId()) : null;
            actions[i] = entry.action();
            actorIds[i] = entry.actorId();
            actors[i] = entry.actor();
            details[i] = entry.details() == null ? null : Json.write(entry.details());
            hashes[i] = entry.hash();
        }
        AuditEntry last = entries.get(n - 1);
        jdbc.update(connection -> {
            PreparedStatement ps = connection.prepareStatement(INSERT_AND_MOVE_HEAD);
            ps.setObject(1, OffsetDateTime.ofInstant(head.now(), ZoneOffset.UTC));
            ps.setArray(2, connection.createArrayOf("bigint", ids));
            ps.setArray(3, connection.createArrayOf("bigint", seqs));
            ps.setArray(4, connection.createArrayOf("text", types));
            ps.setArray(5, connection.createArrayOf("text", entityIds));
            ps.setArray(6, connection.createArrayOf("bigint", inquiries));
            ps.setArray(7, connection.createArrayOf("text", actions));
            ps.setArray(8, connection.createArrayOf("bigint", actorIds));
            ps.setArray(9, connection.createArrayOf("text", actors));
            ps.setArray(10, connection.createArrayOf("text", details));
            ps.setArray(11, connection.createArrayOf("text", hashes));
            ps.setLong(12, last.seq());
            ps.setString(13, last.hash());
            ps.setLong(14, last.id());
            return ps;
        });
    }

    private record Head(long seq, String hash, Instant now, Long[] ids) {
    }
}
