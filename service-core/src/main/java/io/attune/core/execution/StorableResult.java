package io.attune.core.execution;

import io.attune.core.StorableJson;
import io.attune.model.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What of a worker's reported result can be kept (docs/limits.md). A result over {@link #MAX_BYTES} is refused: the
 * execution fails and its result says why. U+0000 characters, which Postgres cannot store, are replaced by U+FFFD
 * and the result says so in {@code __notes} (a result that is not an object is kept under {@code value} beside its
 * notes).
 */
public record StorableResult(JsonNode result, String refusal) {
    /** Twice the worker's default output limit (1 MiB): room for any result a worker's action may print. */
    public static final int MAX_BYTES = 2 * 1024 * 1024;
    public static final String NOTES = "__notes";

    /** The result as it can be stored, or the reason it cannot. */
    public static StorableResult of(JsonNode reported) {
        if (reported == null || reported.isNull()) {
            return new StorableResult(reported, null);
        }
        int size = Json.writeBytes(reported).length;
        if (size > MAX_BYTES) {
            String reason = "the result is " + size + " bytes; at most " + MAX_BYTES + " can be stored, so it was "
                    + "not kept";
            ObjectNode explained = Json.object();
            explained.put("error", reason);
            explained.put("result_bytes", size);
            return new StorableResult(explained, reason);
        }
        StorableJson.Normalised normalised = StorableJson.withoutNul(reported);
        if (!normalised.changed()) {
            return new StorableResult(reported, null);
        }
        ObjectNode noted;
        if (normalised.value().isObject()) {
            noted = (ObjectNode) normalised.value();
        } else {
            noted = Json.object();
            noted.set("value", normalised.value());
        }
        noted.putArray(NOTES).add(normalised.replacedCharacters() + " U+0000 (NUL) character(s) replaced by U+FFFD: "
                + "the database cannot store U+0000");
        return new StorableResult(noted, null);
    }

    /** A result that cannot be stored at all: the execution fails with it. */
    public static JsonNode unkeepable(String reason) {
        ObjectNode explained = Json.object();
        explained.put("error", "the result could not be stored: " + reason);
        return explained;
    }

    public boolean refused() {
        return refusal != null;
    }
}
