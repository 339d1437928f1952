package io.attune.model.audit;

import io.attune.model.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * How an audit entry is linked to the one before it (docs/audit.md):
 * <pre>
 *   hash = lowercase hex of SHA-256( previous hash as 64 ASCII hex characters  ||  UTF-8 of JCS(body) )
 * </pre>
 * where the first entry's previous hash is {@link #GENESIS} (64 zeros) and {@code body} is the entry without its
 * hash: exactly the members {@code id, seq, entity_type, entity_id, action, actor, actor_id, occurred, details},
 * absent values as JSON null, {@code occurred} as ISO-8601 UTC ({@link DateTimeFormatter#ISO_INSTANT}), canonicalized
 * by RFC 8785 ({@link CanonicalJson}). An export line is the JCS form of the body plus {@code hash}.
 */
public final class AuditChain {
    public static final String GENESIS = "0".repeat(64);

    private AuditChain() {
    }

    public static ObjectNode body(AuditEntry entry) {
        ObjectNode body = headMembers(entry.entityType(), entry.entityId(), entry.action(), entry.actor(),
                entry.actorId(), entry.details());
        body.put("id", entry.id());
        body.put("seq", entry.seq());
        body.put("occurred", entry.occurred() == null ? null : DateTimeFormatter.ISO_INSTANT.format(entry.occurred()));
        return body;
    }

    /**
     * The canonical JSON of an entry's body up to its id, without the closing brace: the members {@code action} to
     * {@code entity_type}, which sort before the three the chain assigns when it appends ({@code id},
     * {@code occurred}, {@code seq}). The database finishes the body with {@link #bodyFromHead} when it appends at
     * commit (migration V22, {@code attune.chain_pending_audit}).
     */
    public static String bodyHead(String entityType, String entityId, String action, String actor, Long actorId,
                                  JsonNode details) {
        String json = CanonicalJson.write(headMembers(entityType, entityId, action, actor, actorId, details));
        return json.substring(0, json.length() - 1);
    }

    /** The body's members other than those the chain assigns when it appends. */
    private static ObjectNode headMembers(String entityType, String entityId, String action, String actor,
                                          Long actorId, JsonNode details) {
        ObjectNode members = Json.object();
        members.put("entity_type", entityType);
        members.put("entity_id", entityId);
        members.put("action", action);
        members.put("actor", actor);
        members.put("actor_id", actorId);
        members.set("details", details);
        return members;
    }

    /** The canonical JSON of the body: its head ({@link #bodyHead}) and the members the chain assigns, in JCS order. */
    public static String bodyFromHead(String head, long id, Instant occurred, long seq) {
        return head + ",\"id\":" + id + ",\"occurred\":\"" + DateTimeFormatter.ISO_INSTANT.format(occurred)
                + "\",\"seq\":" + seq + "}";
    }

    /** The hash an entry must carry when {@code previous} is the hash of the entry before it. */
    public static String hash(String previous, AuditEntry entry) {
        return hash(previous, body(entry));
    }

    /** The same over a body already in JSON form (an export line without its {@code hash}). */
    public static String hash(String previous, ObjectNode body) {
        MessageDigest sha256 = sha256();
        sha256.update(previous.getBytes(StandardCharsets.US_ASCII));
        sha256.update(CanonicalJson.write(body).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha256.digest());
    }

    /** The entry as one line of the export: the canonical JSON of its body and hash, without the line break. */
    public static String exportLine(AuditEntry entry) {
        ObjectNode line = body(entry);
        line.put("hash", entry.hash());
        return CanonicalJson.write(line);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
