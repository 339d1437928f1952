package io.attune.model.audit;

import io.attune.model.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChainVerifierTest {
    @TempDir
    Path dir;

    static List<AuditEntry> chain(int length) {
        List<AuditEntry> entries = new ArrayList<>();
        String previous = AuditChain.GENESIS;
        for (int i = 1; i <= length; i++) {
            AuditEntry unhashed = new AuditEntry(100 + i, (long) i, i % 3 == 0 ? "identity" : "inquiry",
                    Integer.toString(7 + i), i % 2 == 0 ? "responded" : "created", i % 2 == 0 ? "ada" : "system",
                    i % 2 == 0 ? 5L : null, Instant.parse("2026-01-15T10:30:00.123456Z").plusSeconds(i),
                    i % 2 == 0 ? Json.tree("{\"response\": {\"approved\": true, \"comment\": \"ok \\u00e9\", \"n\": 1.50}}")
                            : null, null);
            String hash = AuditChain.hash(previous, unhashed);
            entries.add(new AuditEntry(unhashed.id(), unhashed.seq(), unhashed.entityType(), unhashed.entityId(),
                    unhashed.action(), unhashed.actor(), unhashed.actorId(), unhashed.occurred(), unhashed.details(),
                    hash));
            previous = hash;
        }
        return entries;
    }

    Path export(List<AuditEntry> entries) throws IOException {
        StringBuilder text = new StringBuilder();
        entries.forEach(e -> text.append(AuditChain.exportLine(e)).append('\n'));
        Path file = dir.resolve("audit.jsonl");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void theHashIsSha256OfThePreviousHashAndTheCanonicalBody() {
        AuditEntry first = chain(1).get(0);
        // Written out by hand: the body's members sorted, null kept, occurred with its microseconds.
        assertThat(CanonicalJson.write(AuditChain.body(first))).isEqualTo("{\"action\":\"created\",\"actor\":\"system\","
                + "\"actor_id\":null,\"details\":null,\"entity_id\":\"8\",\"entity_type\":\"inquiry\",\"id\":101,"
                + "\"occurred\":\"2026-01-15T10:30:01.123456Z\",\"seq\":1}");
        assertThat(first.hash()).isEqualTo(sha256Hex("0".repeat(64) + CanonicalJson.write(AuditChain.body(first))));
        // the example of docs/audit.md
        assertThat(first.hash()).isEqualTo("2bde44ca649466731166a458c555d8f123f3db8a03205abe0e04a90d8dda0082");
    }

    @Test
    void anIntactChainIsValidAndItsHeadIsTheLastHash() {
        List<AuditEntry> entries = chain(5);
        ChainVerifier verifier = new ChainVerifier();
        entries.forEach(verifier::accept);
        assertThat(verifier.result()).isEqualTo(new AuditVerification(5, entries.get(4).hash(), true, null));
    }

    @Test
    void anEditedEntryIsReportedWhereItIs() {
        List<AuditEntry> entries = new ArrayList<>(chain(5));
        AuditEntry third = entries.get(2);
        entries.set(2, new AuditEntry(third.id(), third.seq(), third.entityType(), third.entityId(), "cancelled",
                third.actor(), third.actorId(), third.occurred(), third.details(), third.hash()));
        assertThat(verify(entries).firstBroken()).isEqualTo(103L);
    }

    @Test
    void aDeletedEntryIsReportedAtTheOneAfterIt() {
        List<AuditEntry> entries = new ArrayList<>(chain(5));
        entries.remove(1);
        assertThat(verify(entries).firstBroken()).isEqualTo(103L);
    }

    @Test
    void swappedEntriesAreReportedAtTheFirstOfThem() {
        List<AuditEntry> entries = new ArrayList<>(chain(5));
        AuditEntry second = entries.get(1);
        entries.set(1, entries.get(3));
        entries.set(3, second);
        assertThat(verify(entries).firstBroken()).isEqualTo(104L);
    }

    @Test
    void anExportVerifiesOfflineAndFailsWhenAnyOneByteChanges() throws IOException {
        Path file = export(chain(4));
        assertThat(run(file)).isZero();
        byte[] original = Files.readAllBytes(file);
        for (int i = 0; i < original.length; i++) {
            byte[] changed = original.clone();
            changed[i] = (byte) (changed[i] == 'x' ? 'y' : changed[i] == '\n' ? '\r' : 'x');
            Files.write(file, changed);
            assertThat(VerifyExport.verify(file).result().valid()).as("byte %d changed", i).isFalse();
        }
    }

    @Test
    void aCutExportFailsAgainstTheHeadItWasPublishedWith() throws IOException {
        List<AuditEntry> entries = chain(4);
        String head = entries.get(3).hash();
        Path file = export(entries.subList(0, 3));
        assertThat(run(file)).isZero();
        assertThat(run(file, "--head", head)).isEqualTo(1);
        assertThat(run(export(entries), "--head", head)).isZero();
    }

    private static AuditVerification verify(List<AuditEntry> entries) {
        ChainVerifier verifier = new ChainVerifier();
        entries.forEach(verifier::accept);
        AuditVerification result = verifier.result();
        assertThat(result.valid()).isFalse();
        return result;
    }

    private static int run(Path file, String... more) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream()));
            System.setErr(new PrintStream(new ByteArrayOutputStream()));
            String[] args = new String[more.length + 1];
            args[0] = file.toString();
            System.arraycopy(more, 0, args, 1, more.length);
            return VerifyExport.run(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static String sha256Hex(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
