package io.attune.core;

import io.attune.model.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * JSON that Postgres can keep. JSON allows U+0000 in strings and keys; {@code jsonb} (and {@code text}) refuses it,
 * so a value holding one would fail the whole transaction that tries to store it. Such characters are replaced by
 * U+FFFD (the replacement character) and counted, so that whoever stores the value can say so.
 */
public final class StorableJson {
    public static final char NUL = '\u0000';
    public static final char REPLACEMENT = '\uFFFD';

    private StorableJson() {
    }

    /** Whether any string or key in {@code node} holds U+0000. */
    public static boolean containsNul(JsonNode node) {
        if (node == null) {
            return false;
        }
        Deque<JsonNode> pending = new ArrayDeque<>();
        pending.push(node);
        while (!pending.isEmpty()) {
            JsonNode next = pending.pop();
            if (next.isString() && next.asString().indexOf(NUL) >= 0) {
                return true;
            }
            if (next.isObject()) {
                for (Map.Entry<String, JsonNode> field : next.properties()) {
                    if (field.getKey().indexOf(NUL) >= 0) {
                        return true;
                    }
                    pending.push(field.getValue());
                }
            } else if (next.isArray()) {
                next.values().forEach(pending::push);
            }
        }
        return false;
    }

    /** {@code node} with every U+0000 replaced by U+FFFD, and how many were replaced (the same node when none). */
    public static Normalised withoutNul(JsonNode node) {
        if (!containsNul(node)) {
            return new Normalised(node, 0);
        }
        int[] replaced = {0};
        JsonNode copy = replace(node, replaced);
        return new Normalised(copy, replaced[0]);
    }

    // depth is bounded by the parser's nesting limit, so plain recursion is safe here
    private static JsonNode replace(JsonNode node, int[] replaced) {
        if (node.isString()) {
            return StringNode.valueOf(replace(node.asString(), replaced));
        }
        if (node.isObject()) {
            ObjectNode copy = Json.object();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                copy.set(replace(field.getKey(), replaced), replace(field.getValue(), replaced));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = Json.mapper().createArrayNode();
            node.values().forEach(value -> copy.add(replace(value, replaced)));
            return copy;
        }
        return node;
    }

    private static String replace(String text, int[] replaced) {
        if (text.indexOf(NUL) < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == NUL) {
                replaced[0]++;
                out.append(REPLACEMENT);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** A value made storable, and how many characters were replaced to make it so. */
    public record Normalised(JsonNode value, int replacedCharacters) {
        public boolean changed() {
            return replacedCharacters > 0;
        }
    }
}
