package io.attune.bench;

import io.attune.model.audit.AuditChain;
import io.attune.model.audit.AuditEntry;
import io.attune.model.audit.AuditVerification;
import io.attune.model.audit.VerifyExport;
import io.attune.model.json.Json;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

/**
 * Figure 9: the audit chain (docs/audit.md). Extends the chain the services wrote during figures 1-4 with
 * {@code --audit-entries} entries shaped like theirs (hashed the same way, under the same head lock), then times
 * {@code GET /api/v1/audit/verify} over all of it, the streamed export, and the offline verification of that file.
 * The chain's cost on respond throughput is figure 3 itself, compared with a run of the code before the chain
 * (docs/benchmarks.md).
 */
final class AuditFigure {
    private static final int CHUNK = 20_000;
    private static final Duration PATIENCE = Duration.ofMinutes(30);

    private AuditFigure() {
    }

    static void run(Run run) {
        int entries = run.options().auditEntries();
        long started = System.nanoTime();
        extendChain(run.db(), entries);
        Run.progress("%s entries appended to the chain in %s", Format.count(entries),
                Format.seconds((System.nanoTime() - started) / 1e9));

        long t0 = System.nanoTime();
        HttpResponse<String> verify = send(run, request(run, "/api/v1/audit/verify"), HttpResponse.BodyHandlers.ofString());
        double verifySeconds = (System.nanoTime() - t0) / 1e9;
        if (verify.statusCode() != 200) {
            throw new IllegalStateException("verify answered " + verify.statusCode() + ": " + verify.body());
        }
        JsonNode result = Json.tree(verify.body()).path("data");
        long total = result.path("entries").asLong();
        run.report().row("9a", "`GET /api/v1/audit/verify` over the whole chain",
                String.format(Locale.ROOT, "%s for %s entries (%s entries/s), valid: %s", Format.seconds(verifySeconds),
                        Format.count(total), Format.rate(total / verifySeconds), result.path("valid").asBoolean()),
                "—", Report.Verdict.NONE);

        Path file = run.logs().resolve("audit-export.jsonl");
        t0 = System.nanoTime();
        HttpResponse<Path> export = send(run, request(run, "/api/v1/audit/export"), HttpResponse.BodyHandlers.ofFile(file));
        double exportSeconds = (System.nanoTime() - t0) / 1e9;
        if (export.statusCode() != 200) {
            throw new IllegalStateException("export answered " + export.statusCode());
        }
        long bytes = size(file);
        run.report().row("9b", "`GET /api/v1/audit/export` (JSON Lines, streamed)",
                String.format(Locale.ROOT, "%s for %.0f MB (%s entries/s)", Format.seconds(exportSeconds),
                        bytes / 1e6, Format.rate(total / exportSeconds)), "—", Report.Verdict.NONE);

        t0 = System.nanoTime();
        AuditVerification offline = verifyOffline(file);
        double offlineSeconds = (System.nanoTime() - t0) / 1e9;
        run.report().row("9c", "offline verification of the export (`VerifyExport`, one thread)",
                String.format(Locale.ROOT, "%s (%s entries/s), valid: %s, same head: %s", Format.seconds(offlineSeconds),
                        Format.rate(offline.entries() / offlineSeconds), offline.valid(),
                        offline.head().equals(result.path("head").asString())), "—", Report.Verdict.NONE);
    }

    private static HttpRequest request(Run run, String path) {
        return HttpRequest.newBuilder(URI.create(run.suite().apiUrl() + path)).timeout(PATIENCE)
                .header("Authorization", "Bearer " + run.adminToken()).GET().build();
    }

    /**
     * A GET of the figure, tried a second time when the first fails before any answer: appending the chain leaves the
     * client's pooled connection idle for longer than the server keeps it open, and the client may send on it just as
     * the server closes it ("header parser received no bytes"). Both requests only read, so trying again is safe.
     */
    static <T> HttpResponse<T> send(Run run, HttpRequest request, HttpResponse.BodyHandler<T> body) {
        try {
            try {
                return run.api().http().send(request, body);
            } catch (HttpTimeoutException slow) {
                throw slow; // an answer that took too long would take too long again
            } catch (IOException closedWhileIdle) {
                return run.api().http().send(request, body);
            }
        } catch (IOException e) {
            throw new IllegalStateException(request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static AuditVerification verifyOffline(Path file) {
        try {
            return VerifyExport.verify(file).result();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Appends {@code n} identity-change entries as the services would, a chunk per transaction holding the head's
     * lock (so a service writing meanwhile waits its turn instead of forking the chain).
     */
    static void extendChain(Database db, int n) {
        Connection connection = db.connection();
        JsonNode details = Json.tree("{\"display_name\": \"Bench Approver\", \"roles\": [\"user\"], "
                + "\"groups\": [\"release-managers\", \"sre\"], \"disabled\": false}");
        for (int done = 0; done < n; done += CHUNK) {
            int size = Math.min(CHUNK, n - done);
            db.inTransaction(true, () -> {
                try {
                    appendChunk(connection, size, details);
                } catch (SQLException e) {
                    throw new IllegalStateException("appending to the chain failed: " + e.getMessage(), e);
                }
                return null;
            });
        }
    }

    private static void appendChunk(Connection connection, int size, JsonNode details) throws SQLException {
        long seq;
        String previous;
        Instant now;
        try (PreparedStatement lock = connection.prepareStatement(
                "SELECT seq, hash, now() FROM attune.audit_chain_head FOR UPDATE");
             ResultSet rs = lock.executeQuery()) {
            rs.next();
            seq = rs.getLong(1);
            previous = rs.getString(2);
            now = rs.getObject(3, OffsetDateTime.class).toInstant();
        }
        List<Long> ids = new java.util.ArrayList<>(size);
        try (PreparedStatement next = connection.prepareStatement(
                "SELECT nextval('attune.inquiry_audit_id_seq') FROM generate_series(1, ?)")) {
            next.setInt(1, size);
            try (ResultSet rs = next.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        String detailsText = Json.write(details);
        long lastId = 0;
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO attune.inquiry_audit "
                + "(id, seq, entity_type, entity_id, action, actor, occurred, details, hash) "
                + "VALUES (?, ?, 'identity', ?, 'updated', 'system', ?, ?::jsonb, ?)")) {
            for (int i = 0; i < size; i++) {
                seq++;
                lastId = ids.get(i);
                String entityId = Long.toString(1 + seq % 500);
                AuditEntry entry = new AuditEntry(lastId, seq, "identity", entityId, "updated", "system", null, now,
                        details, null);
                previous = AuditChain.hash(previous, entry);
                insert.setLong(1, lastId);
                insert.setLong(2, seq);
                insert.setString(3, entityId);
                insert.setObject(4, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                insert.setString(5, detailsText);
                insert.setString(6, previous);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        try (PreparedStatement head = connection.prepareStatement(
                "UPDATE attune.audit_chain_head SET seq = ?, hash = ?, last_id = ?")) {
            head.setLong(1, seq);
            head.setString(2, previous);
            head.setLong(3, lastId);
            head.executeUpdate();
        }
    }
}
