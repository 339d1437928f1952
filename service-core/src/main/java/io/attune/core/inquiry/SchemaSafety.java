package io.attune.core.inquiry;

import io.attune.core.schema.LinearPatterns;
import io.attune.model.json.Json;
import io.attune.model.rest.ApiError.ErrorDetail;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether a response_schema can be evaluated safely, decided before it is ever evaluated: a JSON Schema is a small
 * program, and an inquiry's schema comes from an action's output. Refused: a schema over {@link
 * InquiryLimits#SCHEMA_MAX_BYTES} or nested deeper than {@link InquiryLimits#SCHEMA_MAX_DEPTH}; an {@code enum} over
 * {@link InquiryLimits#ENUM_MAX_VALUES} values; a {@code pattern} that cannot run in linear time ({@link
 * LinearPatterns}); a {@code $ref} that cannot be resolved inside the schema; {@code $dynamicRef} and
 * {@code $recursiveRef}; and recursion that does not descend into the answer — a schema that reaches itself again
 * through {@code $ref}, {@code allOf}, {@code anyOf}, {@code oneOf}, {@code not}, {@code if}/{@code then}/{@code else}
 * or {@code dependentSchemas} while still looking at the same value ({@code {"$ref": "#"}}), which no evaluation can
 * finish. Recursion through {@code properties}, {@code items} and the like is fine: each step goes one level down
 * the answer, whose size is bounded.
 */
final class SchemaSafety {
    /** Applicators that apply their subschemas to the same value. */
    private static final Set<String> IN_PLACE_SINGLE = Set.of("not", "if", "then", "else");
    private static final Set<String> IN_PLACE_ARRAYS = Set.of("allOf", "anyOf", "oneOf");
    private static final Set<String> IN_PLACE_MAPS = Set.of("dependentSchemas", "dependencies");
    /** Applicators that apply their subschemas to a part of the value (a level down), and schema containers. */
    private static final Set<String> DESCENDING_SINGLE = Set.of("additionalProperties", "additionalItems",
            "contains", "propertyNames", "unevaluatedItems", "unevaluatedProperties", "items");
    private static final Set<String> DESCENDING_ARRAYS = Set.of("prefixItems", "items");
    private static final Set<String> DESCENDING_MAPS = Set.of("properties", "patternProperties", "$defs",
            "definitions");
    private static final String ROOT_BASE = "urn:attune:response-schema";

    private final JsonNode root;
    private final List<ErrorDetail> problems = new ArrayList<>();
    /** Every object node of the document: its JSON pointer, and the base URI of the resource it belongs to. */
    private final Map<JsonNode, String> pointers = new IdentityHashMap<>();
    private final Map<JsonNode, String> bases = new IdentityHashMap<>();
    private final Map<String, JsonNode> resources = new HashMap<>();
    private final Map<String, JsonNode> anchors = new HashMap<>();
    /** Resolved {@code $ref} targets; a missing entry means the reference leaves the document (a meta-schema). */
    private final Map<JsonNode, JsonNode> refTargets = new IdentityHashMap<>();
    /** The subschemas found in applicator and container positions, in document order. */
    private final List<JsonNode> schemas = new ArrayList<>();

    private SchemaSafety(JsonNode root) {
        this.root = root;
    }

    /** Why {@code schema} cannot be evaluated safely; empty when it can. Paths are JSON pointers into it. */
    static List<ErrorDetail> problemsWith(JsonNode schema) {
        int bytes = Json.writeBytes(schema).length;
        if (bytes > InquiryLimits.SCHEMA_MAX_BYTES) {
            return List.of(new ErrorDetail("", "the schema is " + bytes + " bytes; at most "
                    + InquiryLimits.SCHEMA_MAX_BYTES + " are allowed"));
        }
        int depth = depth(schema);
        if (depth > InquiryLimits.SCHEMA_MAX_DEPTH) {
            return List.of(new ErrorDetail("", "the schema nests " + depth + " levels deep; at most "
                    + InquiryLimits.SCHEMA_MAX_DEPTH + " are allowed"));
        }
        SchemaSafety safety = new SchemaSafety(schema);
        safety.index(schema, "", ROOT_BASE);
        safety.check(schema, "");
        if (safety.problems.isEmpty()) {
            safety.findEndlessRecursion();
        }
        return List.copyOf(safety.problems);
    }

    /** Nesting depth of objects and arrays (a scalar is 0, {@code {}} is 1), without recursion. */
    static int depth(JsonNode node) {
        int deepest = 0;
        Deque<Map.Entry<JsonNode, Integer>> stack = new ArrayDeque<>();
        stack.push(Map.entry(node, 1));
        while (!stack.isEmpty()) {
            Map.Entry<JsonNode, Integer> next = stack.pop();
            if (!next.getKey().isContainer()) {
                continue;
            }
            deepest = Math.max(deepest, next.getValue());
            for (JsonNode child : next.getKey().values()) {
                stack.push(Map.entry(child, next.getValue() + 1));
            }
        }
        return deepest;
    }

    /** Records every object's pointer and resource; {@code $id} starts a resource, {@code $anchor} names a place. */
    private void index(JsonNode node, String pointer, String base) {
        if (node.isObject()) {
            JsonNode id = node.get("$id");
            if (id != null && id.isString()) {
                base = resolve(base, stripFragment(id.asString()));
                resources.put(base, node);
            }
            if (pointer.isEmpty()) {
                resources.put(base, node);
            }
            JsonNode anchor = node.get("$anchor");
            if (anchor != null && anchor.isString()) {
                anchors.put(base + "#" + anchor.asString(), node);
            }
            pointers.put(node, pointer);
            bases.put(node, base);
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                index(field.getValue(), pointer + "/" + escape(field.getKey()), base);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                index(node.get(i), pointer + "/" + i, base);
            }
        }
    }

    /** The checks of one schema and, recursively, of every subschema in an applicator or a container. */
    private void check(JsonNode schema, String path) {
        if (!schema.isObject()) {
            return; // true, false, or something the meta-schema will refuse
        }
        schemas.add(schema);
        JsonNode values = schema.get("enum");
        if (values != null && values.isArray() && values.size() > InquiryLimits.ENUM_MAX_VALUES) {
            problems.add(new ErrorDetail(path + "/enum", "enum has " + values.size() + " values; at most "
                    + InquiryLimits.ENUM_MAX_VALUES + " are allowed"));
        }
        JsonNode pattern = schema.get("pattern");
        if (pattern != null && pattern.isString()) {
            checkPattern(pattern.asString(), path + "/pattern");
        }
        JsonNode patternProperties = schema.get("patternProperties");
        if (patternProperties != null && patternProperties.isObject()) {
            for (String key : patternProperties.propertyNames()) {
                checkPattern(key, path + "/patternProperties/" + escape(key));
            }
        }
        for (String dynamic : List.of("$dynamicRef", "$recursiveRef")) {
            if (schema.has(dynamic)) {
                problems.add(new ErrorDetail(path + "/" + dynamic, dynamic + " is not supported in a "
                        + "response_schema; use $ref"));
            }
        }
        JsonNode ref = schema.get("$ref");
        if (ref != null && ref.isString()) {
            resolveRef(schema, ref.asString(), path + "/$ref");
        }
        for (Map.Entry<String, JsonNode> field : schema.properties()) {
            String keyword = field.getKey();
            JsonNode value = field.getValue();
            String at = path + "/" + escape(keyword);
            if ((IN_PLACE_SINGLE.contains(keyword) || DESCENDING_SINGLE.contains(keyword)) && value.isObject()) {
                check(value, at);
            } else if ((IN_PLACE_ARRAYS.contains(keyword) || DESCENDING_ARRAYS.contains(keyword)) && value.isArray()) {
                for (int i = 0; i < value.size(); i++) {
                    check(value.get(i), at + "/" + i);
                }
            } else if ((IN_PLACE_MAPS.contains(keyword) || DESCENDING_MAPS.contains(keyword)) && value.isObject()) {
                for (Map.Entry<String, JsonNode> entry : value.properties()) {
                    check(entry.getValue(), at + "/" + escape(entry.getKey()));
                }
            }
        }
    }

    private void checkPattern(String regex, String path) {
        try {
            LinearPatterns.compile(regex);
        } catch (LinearPatterns.UnsafePatternException e) {
            problems.add(new ErrorDetail(path, e.getMessage()));
        }
    }

    private void resolveRef(JsonNode schema, String ref, String path) {
        int hash = ref.indexOf('#');
        String uri = hash < 0 ? ref : ref.substring(0, hash);
        String fragment = hash < 0 ? "" : ref.substring(hash + 1);
        String base = bases.getOrDefault(schema, ROOT_BASE);
        String target = uri.isEmpty() ? base : resolve(base, uri);
        JsonNode resource = resources.get(target);
        if (resource == null) {
            if (target.startsWith("https://json-schema.org/") || target.startsWith("http://json-schema.org/")) {
                return; // a published meta-schema: known to the validator, and it cannot lead back here
            }
            problems.add(new ErrorDetail(path, "$ref '" + ref + "' does not resolve to a part of this schema "
                    + "(nothing is fetched from elsewhere)"));
            return;
        }
        JsonNode found;
        if (fragment.isEmpty()) {
            found = resource;
        } else if (fragment.startsWith("/")) {
            found = resource;
            for (String token : fragment.substring(1).split("/", -1)) {
                String name = URLDecoder.decode(token, StandardCharsets.UTF_8).replace("~1", "/").replace("~0", "~");
                found = found == null ? null : found.isArray() && name.chars().allMatch(Character::isDigit)
                        && !name.isEmpty() ? found.get(Integer.parseInt(name)) : found.get(name);
            }
        } else {
            found = anchors.get(target + "#" + fragment);
        }
        if (found == null) {
            problems.add(new ErrorDetail(path, "$ref '" + ref + "' points at nothing in this schema"));
        } else {
            refTargets.put(schema, found);
        }
    }

    /**
     * Depth-first search over "applies to the same value" edges ({@code $ref} and the in-place applicators), without
     * recursion of its own: a cycle is a schema that can reach itself again with nothing consumed.
     */
    private void findEndlessRecursion() {
        Map<JsonNode, Boolean> onPath = new IdentityHashMap<>(); // true: on the current path; false: done
        for (JsonNode start : schemas) {
            if (onPath.containsKey(start)) {
                continue;
            }
            Deque<Map.Entry<JsonNode, Iterator<JsonNode>>> stack = new ArrayDeque<>();
            stack.push(Map.entry(start, sameValueSubschemas(start).iterator()));
            onPath.put(start, true);
            while (!stack.isEmpty()) {
                Map.Entry<JsonNode, Iterator<JsonNode>> top = stack.peek();
                if (!top.getValue().hasNext()) {
                    onPath.put(top.getKey(), false);
                    stack.pop();
                    continue;
                }
                JsonNode next = top.getValue().next();
                Boolean state = onPath.get(next);
                if (Boolean.TRUE.equals(state)) {
                    String from = pointers.getOrDefault(top.getKey(), "?");
                    String to = pointers.getOrDefault(next, "?");
                    problems.add(new ErrorDetail(from.isEmpty() ? "" : from, "the schema at '" + (from.isEmpty()
                            ? "/" : from) + "' leads back to '" + (to.isEmpty() ? "/" : to) + "' without descending "
                            + "into the answer ($ref cycle or recursion through allOf/anyOf/oneOf/not/if/then/else): "
                            + "it can never finish"));
                    return;
                }
                if (state == null) {
                    onPath.put(next, true);
                    stack.push(Map.entry(next, sameValueSubschemas(next).iterator()));
                }
            }
        }
    }

    /** The schemas evaluated against the same value as {@code schema}: its {@code $ref} and in-place applicators. */
    private List<JsonNode> sameValueSubschemas(JsonNode schema) {
        List<JsonNode> next = new ArrayList<>();
        if (!schema.isObject()) {
            return next;
        }
        JsonNode target = refTargets.get(schema);
        if (target == null && schema.has("$ref") && schema.get("$ref").isString() && pointers.containsKey(schema)) {
            resolveRef(schema, schema.get("$ref").asString(), pointers.get(schema) + "/$ref");
            target = refTargets.get(schema);
        }
        if (target != null && target.isObject()) {
            next.add(target);
        }
        for (String keyword : IN_PLACE_SINGLE) {
            JsonNode value = schema.get(keyword);
            if (value != null && value.isObject()) {
                next.add(value);
            }
        }
        for (String keyword : IN_PLACE_ARRAYS) {
            JsonNode value = schema.get(keyword);
            if (value != null && value.isArray()) {
                value.values().forEach(v -> {
                    if (v.isObject()) {
                        next.add(v);
                    }
                });
            }
        }
        for (String keyword : IN_PLACE_MAPS) {
            JsonNode value = schema.get(keyword);
            if (value != null && value.isObject()) {
                value.values().forEach(v -> {
                    if (v.isObject()) {
                        next.add(v);
                    }
                });
            }
        }
        return next;
    }

    private static String resolve(String base, String reference) {
        try {
            URI baseUri = new URI(base);
            return stripFragment(baseUri.isOpaque() ? reference : baseUri.resolve(reference).toString());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return reference;
        }
    }

    private static String stripFragment(String uri) {
        int hash = uri.indexOf('#');
        return hash < 0 ? uri : uri.substring(0, hash);
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
