package io.attune.core.audit;

import io.attune.model.audit.AuditChain;
import io.attune.model.json.Json;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.PreparedStatement;
import java.util.List;

/**
 * Hands a transaction's entries to the chain: stages them in {@code attune.audit_pending}, and the database appends
 * them when the transaction commits (migrations V22 and V23, {@code attune.chain_pending_audit}, a deferred trigger
 * that fires once per staging): it locks the chain's head (every replica of every service waits there in turn, which
 * is the chain's order), gives each entry the next id and position, hashes it onto the one before it, inserts them
 * and moves the head; the commit that follows at once releases the lock. So no two entries ever share a predecessor,
 * a rollback leaves the head where it was, and the lock is never held while this service's thread waits for a core
 * between two round trips.
 *
 * <p>What the database cannot do, canonical JSON (RFC 8785) of the entry's body, is done here: each staged entry
 * carries its body up to the members the chain assigns ({@link AuditChain#bodyHead}).
 */
@Component
public class ChainAppender {
    /** One row for the transaction's entries, one array per column, in the order given (migration V23). */
    private static final String STAGE = "INSERT INTO attune.audit_pending "
            + "(entity_types, entity_ids, inquiries, actions, actor_ids, actors, details, body_heads) "
            + "VALUES (?::text[], ?::text[], ?::bigint[], ?::attune.inquiry_action_enum[], ?::bigint[], ?::text[], "
            + "?::jsonb[], ?::text[])";

    private final JdbcTemplate jdbc;
    private final Timer appendTime;

    public ChainAppender(JdbcTemplate jdbc, ObjectProvider<MeterRegistry> meters) {
        this.jdbc = jdbc;
        this.appendTime = Timer.builder("attune.audit.append")
                .description("Time to stage a transaction's entries for the audit chain, which the database appends "
                        + "at commit")
                .register(meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    void append(List<AuditTrail.PendingEntry> pending) {
        appendTime.record(() -> stage(pending));
    }

    private void stage(List<AuditTrail.PendingEntry> pending) {
        int n = pending.size();
        String[] types = new String[n];
        String[] entityIds = new String[n];
        Long[] inquiries = new Long[n];
        String[] actions = new String[n];
        Long[] actorIds = new Long[n];
        String[] actors = new String[n];
        String[] details = new String[n];
        String[] heads = new String[n];
        for (int i = 0; i < n; i++) {
            AuditTrail.PendingEntry entry = pending.get(i);
            boolean inquiry = entry.subject().isInquiry();
            boolean noDetails = entry.details() == null || entry.details().isNull();
            types[i] = entry.subject().type();
            entityIds[i] = inquiry ? null : entry.subject().id();
            inquiries[i] = inquiry ? Long.parseLong(entry.subject().id()) : null;
            actions[i] = entry.action();
            actorIds[i] = entry.actor().id();
            actors[i] = entry.actor().login();
            details[i] = noDetails ? null : Json.write(entry.details());
            heads[i] = AuditChain.bodyHead(entry.subject().type(), entry.subject().id(), entry.action(),
                    entry.actor().login(), entry.actor().id(), noDetails ? null : entry.details());
        }
        jdbc.update(connection -> {
            PreparedStatement ps = connection.prepareStatement(STAGE);
            ps.setArray(1, connection.createArrayOf("text", types));
            ps.setArray(2, connection.createArrayOf("text", entityIds));
            ps.setArray(3, connection.createArrayOf("bigint", inquiries));
            ps.setArray(4, connection.createArrayOf("text", actions));
            ps.setArray(5, connection.createArrayOf("bigint", actorIds));
            ps.setArray(6, connection.createArrayOf("text", actors));
            ps.setArray(7, connection.createArrayOf("text", details));
            ps.setArray(8, connection.createArrayOf("text", heads));
            return ps;
        });
    }
}
