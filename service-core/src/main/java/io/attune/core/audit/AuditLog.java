package io.attune.core.audit;

import io.attune.model.audit.AuditChain;
import io.attune.model.audit.AuditEntry;
import io.attune.model.audit.AuditVerification;
import io.attune.model.audit.ChainVerifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

import static io.attune.core.JsonColumns.instant;
import static io.attune.core.JsonColumns.json;
import static io.attune.core.JsonColumns.nullableLong;

/**
 * Reading the trail: a page at a time, or the whole chain in order as a stream (verify, export) that holds one
 * entry in memory at a time — a server-side cursor, in one read-only snapshot, so that the chain and its head are
 * read as of the same moment whatever is appended meanwhile.
 */
@Service
public class AuditLog {
    public static final int DEFAULT_PAGE = 100;
    public static final int MAX_PAGE = 1000;
    private static final int FETCH = 1000;
    private static final String COLUMNS = "id, seq, entity_type, coalesce(entity_id, inquiry::text) AS entity_id, "
            + "action::text AS action, actor, actor_id, occurred, details::text AS details, hash";
    private static final RowMapper<AuditEntry> ENTRY = (rs, n) -> new AuditEntry(rs.getLong("id"),
            nullableLong(rs, "seq"), rs.getString("entity_type"), rs.getString("entity_id"), rs.getString("action"),
            rs.getString("actor"), nullableLong(rs, "actor_id"), instant(rs, "occurred"), json(rs, "details"),
            rs.getString("hash"));

    private final JdbcTemplate jdbc;
    private final JdbcTemplate streaming;
    private final TransactionTemplate snapshot;

    public AuditLog(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.streaming = new JdbcTemplate(jdbc.getDataSource());
        this.streaming.setFetchSize(FETCH);
        this.snapshot = new TransactionTemplate(transactions);
        this.snapshot.setReadOnly(true);
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    }

    /** Up to {@code limit} entries with an id above {@code after}, by id. */
    public List<AuditEntry> page(long after, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM attune.inquiry_audit WHERE id > ? ORDER BY id LIMIT ?", ENTRY,
                after, limit);
    }

    /**
     * Recomputes every link of the chain, and checks that it ends at the head the suite recorded and that no entry
     * was slipped in beside it.
     */
    public AuditVerification verify() {
        return snapshot.execute(status -> {
            ChainVerifier verifier = new ChainVerifier();
            streaming.query("SELECT " + COLUMNS + " FROM attune.inquiry_audit WHERE seq IS NOT NULL ORDER BY seq",
                    rs -> {
                        verifier.accept(ENTRY.mapRow(rs, 0));
                    });
            jdbc.query("SELECT seq, hash, last_id FROM attune.audit_chain_head", rs -> {
                verifier.expectHead(rs.getString("hash"), rs.getLong("seq"), nullableLong(rs, "last_id"));
            });
            jdbc.query("SELECT a.id FROM attune.inquiry_audit a, attune.audit_chain_head h "
                    + "WHERE a.seq IS NULL AND a.id > h.chain_starts_after ORDER BY a.id LIMIT 1", rs -> {
                verifier.unchained(rs.getLong("id"));
            });
            return verifier.result();
        });
    }

    /** The chain as JSON Lines, in order, one canonical entry per line (what {@code VerifyExport} checks). */
    public void export(OutputStream out) {
        Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        chain(entry -> {
            try {
                writer.write(AuditChain.exportLine(entry));
                writer.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void chain(Consumer<AuditEntry> each) {
        snapshot.executeWithoutResult(status -> streaming.query(
                "SELECT " + COLUMNS + " FROM attune.inquiry_audit WHERE seq IS NOT NULL ORDER BY seq",
                rs -> {
                    each.accept(ENTRY.mapRow(rs, 0));
                }));
    }
}
