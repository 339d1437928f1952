package io.attune.bench;

import io.attune.core.audit.AuditLog;
import io.attune.model.audit.AuditVerification;
import io.attune.model.audit.ChainVerifier;
import io.attune.model.audit.VerifyExport;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The audit chain on its own, without the services: a database of its own ({@code attune_bench_audit}, dropped and
 * created again), migrated, a chain of N entries appended as the services append them, then the service's
 * {@code verify} and {@code export} code ({@link AuditLog}) and the offline {@link VerifyExport} over it, timed.
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
        report("append %,d entries (20,000 per transaction, one connection)", entries, t0);

        DriverManagerDataSource dataSource = new DriverManagerDataSource(url, endpoints.dbUser(), endpoints.dbPassword());
        AuditLog log = new AuditLog(new JdbcTemplate(dataSource), new DataSourceTransactionManager(dataSource));
        t0 = System.nanoTime();
        AuditVerification verified = log.verify();
        report("verify (AuditLog.verify: cursor, recompute every hash): " + verified, entries, t0);

        Path file = Files.createTempFile("attune-audit", ".jsonl");
        t0 = System.nanoTime();
        try (OutputStream out = Files.newOutputStream(file)) {
            log.export(out);
        }
        report(String.format(Locale.ROOT, "export (AuditLog.export to a file): %.0f MB", Files.size(file) / 1e6),
                entries, t0);

        t0 = System.nanoTime();
        ChainVerifier offline = VerifyExport.verify(file);
        report("offline verification (VerifyExport): " + offline.result(), entries, t0);
        Files.delete(file);
        System.out.printf(Locale.ROOT, "heap in use at the end: %.0f MB (max %.0f MB)%n",
                (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1e6,
                Runtime.getRuntime().maxMemory() / 1e6);
    }

    private static void report(String what, int entries, long startedNanos) {
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        System.out.printf(Locale.ROOT, "%-100s %8.2f s  %,10.0f entries/s%n", what, seconds, entries / seconds);
    }
}
