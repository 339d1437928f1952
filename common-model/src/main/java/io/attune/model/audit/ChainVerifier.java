package io.attune.model.audit;

import io.attune.model.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Walks a chain one entry at a time, in chain order, holding only the previous hash: the database's verify and the
 * offline check of an export use the same code. An entry is broken when its {@code seq} is not the one after the
 * previous entry's (an entry before it was deleted or moved) or its {@code hash} is not the hash of the previous
 * hash and its own body (it was edited, or the one before it was). After the first break the walk goes on from the
 * stored hash, so that {@link #entries()} still counts everything.
 */
public final class ChainVerifier {
    private String previous = AuditChain.GENESIS;
    private long entries;
    private Long firstBroken;
    private String problem;

    /** An entry read from the database. */
    public void accept(AuditEntry entry) {
        check(entry.id(), entry.seq() == null ? -1 : entry.seq(), AuditChain.hash(previous, entry), entry.hash());
    }

    /**
     * One line of an export. Besides the links, the line must be exactly its own canonical form, so that a change
     * of a single byte anywhere, even in spacing, is caught.
     */
    public void acceptLine(String line, long lineNumber) {
        ObjectNode body;
        try {
            JsonNode parsed = Json.tree(line);
            if (!(parsed instanceof ObjectNode object)) {
                breakAt(null, "line " + lineNumber + " is not a JSON object");
                entries++;
                return;
            }
            body = object;
        } catch (JacksonException e) {
            breakAt(null, "line " + lineNumber + " is not JSON");
            entries++;
            return;
        }
        Long id = body.path("id").canConvertToLong() ? body.path("id").asLong() : null;
        if (!CanonicalJson.write(body).equals(line)) {
            breakAt(id, "line " + lineNumber + " is not in canonical form (it was edited)");
        }
        JsonNode stored = body.remove("hash");
        long seq = body.path("seq").asLong(-1);
        check(id, seq, AuditChain.hash(previous, body), stored == null ? null : stored.asString());
    }

    private void check(Long id, long seq, String expected, String stored) {
        entries++;
        if (seq != entries) {
            breakAt(id, "entry " + id + " is at position " + seq + " where position " + entries + " belongs");
        } else if (!expected.equals(stored)) {
            breakAt(id, "entry " + id + " does not hash to its stored hash");
        }
        previous = stored == null ? expected : stored;
    }

    private void breakAt(Long id, String why) {
        if (problem == null) {
            firstBroken = id;
            problem = why;
        }
    }

    /** The chain's end does not match a head recorded elsewhere (entries removed from the end, for example). */
    public void expectHead(String head, long seq, Long lastId) {
        if (problem == null && (seq != entries || !previous.equals(head))) {
            breakAt(lastId, "the chain ends at entry " + entries + " (" + previous + ") but its head is entry "
                    + seq + " (" + head + ")");
        }
    }

    /** Something that is not an entry at all where one should be (an unreadable line). */
    public void reject(String why) {
        breakAt(null, why);
    }

    /** An entry that is not in the chain at all (written around the suite). */
    public void unchained(long id) {
        breakAt(id, "entry " + id + " has no place in the chain");
    }

    public long entries() {
        return entries;
    }

    public String head() {
        return previous;
    }

    public String problem() {
        return problem;
    }

    public AuditVerification result() {
        return new AuditVerification(entries, previous, problem == null, firstBroken);
    }
}
