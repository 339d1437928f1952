package io.attune.bench;

import io.attune.model.audit.AuditChain;
import io.attune.model.audit.AuditEntry;
import io.attune.model.audit.AuditVerification;
import io.attune.model.audit.ChainVerifier;
import io.attune.model.audit.VerifyExport;
import io.attune.model.json.Json;
import org.flywaydb.core.Flyway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The audit chain on its own, without the services: a database of its own ({@code attune_bench_audit}, dropped and
 * created again), migrated, a chain of N entries appended as the services append them, then what the service's
 * verify and export do (a cursor in one snapshot, 1,000 rows per fetch, every hash recomputed by the same
 * {@link ChainVerifier}; each entry written as its canonical line) and the offline {@link VerifyExport}, timed.
 * <pre>
 *   java -cp bench/target/bench.jar io.attune.bench.AuditChainBench [ENTRIES]    (default 1000000)
 * </pre>
 * The full {@code ./bench.sh} measures the same through the HTTP API as figure 8 (docs/benchmarks.md).
 */
public final class AuditChainBench {
    static final String DATABASE = "attune_bench_audit";

    private AuditChainBench() {
    }

    public static void main(String[] args) throws IOException {
        int entries = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Endpoints endpoints = Endpoints.from(System.getenv());
        Database.recreate(endpoints, DATABASE);
        String url = endpoints.jdbcUrl(DATABASE);
        Flyway.configure().dataSource(url, endpoints.dbUser(), endpoints.dbPassword()).schemas("attune")
                .locations("classpath:db/migration").load().migrate();

        long t0 = System.nanoTime();
        try (Database db = Database.connect(endpoints, DATABASE)) {
            AuditFigure.extendChain(db, entries);
            db.execute("VACUUM ANALYZE attune.inquiry_audit");
        }
        report(String.format(Locale.ROOT, "append %,d entries (20,000 per transaction, one connection)", entries),
                entries, t0);

        Path file = Files.createTempFile("attune-audit", ".jsonl");
        try (Database db = Database.connect(endpoints, DATABASE)) {
            t0 = System.nanoTime();
            ChainVerifier verifier = new ChainVerifier();
            chain(db, verifier::accept);
            AuditVerification verified = verifier.result();
            report("verify (cursor, every hash recomputed): " + verified, entries, t0);

            t0 = System.nanoTime();
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                chain(db, entry -> {
                    try {
                        out.write(AuditChain.exportLine(entry));
                        out.write('\n');
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
            report(String.format(Locale.ROOT, "export (canonical JSON Lines to a file): %.0f MB", Files.size(file) / 1e6),
                    entries, t0);
        }

        t0 = System.nanoTime();
        ChainVerifier offline = VerifyExport.verify(file);
        report("offline verification (VerifyExport): " + offline.result(), entries, t0);
        Files.delete(file);
        System.out.printf(Locale.ROOT, "heap in use at the end: %.0f MB (max %.0f MB)%n",
                (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1e6,
                Runtime.getRuntime().maxMemory() / 1e6);
    }

    /** The chain in order, as the service reads it (AuditLog): one read-only snapshot, a cursor. */
    private static void chain(Database db, Consumer<AuditEntry> each) {
        Connection connection = db.connection();
        db.inTransaction(false, () -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT id, seq, entity_type, "
                    + "coalesce(entity_id, inquiry::text) AS entity_id, action::text AS action, actor, actor_id, "
                    + "occurred, details::text AS details, hash FROM attune.inquiry_audit WHERE seq IS NOT NULL "
                    + "ORDER BY seq")) {
                query.setFetchSize(1000);
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        long actorId = rs.getLong("actor_id");
                        Long actor = rs.wasNull() ? null : actorId;
                        String details = rs.getString("details");
                        each.accept(new AuditEntry(rs.getLong("id"), rs.getLong("seq"), rs.getString("entity_type"),
                                rs.getString("entity_id"), rs.getString("action"), rs.getString("actor"), actor,
                                rs.getObject("occurred", OffsetDateTime.class).toInstant(),
                                details == null ? null : Json.tree(details), rs.getString("hash")));
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("reading the chain failed: " + e.getMessage(), e);
            }
            return null;
        });
    }

    private static void report(String what, int entries, long startedNanos) {
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        System.out.printf(Locale.ROOT, "%-100s %8.2f s  %,10.0f entries/s%n", what, seconds, entries / seconds);
    }
}
