package io.attune.core.secret;

import com.google.re2j.Pattern;
import io.attune.core.schema.LinearPatterns;
import io.attune.model.rest.ApiError.ErrorDetail;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The one place that knows which parts of an answer are secret: a {@code response_schema} (sub)schema with
 * {@code "secret": true} marks the value at its place — a property at any depth, the items of an array, whatever a
 * {@code $ref} within the schema points to. The answer is stored as given and the resumed execution receives it;
 * everything else (API responses, the history, event payloads, notifications, logs, validation errors) shows
 * {@link #MASK} in its place (docs/security.md, "Secrets in answers").
 *
 * <p>Where the schema's meaning is uncertain it errs towards hiding: every branch of {@code anyOf}/{@code oneOf}/
 * {@code if} counts, and a {@code $ref} it cannot follow hides the value at that place when the schema has secrets.
 */
public final class SecretMask {
    /** What a secret value is replaced with. */
    public static final String MASK = "********";
    static final String KEYWORD = "secret";

    /** Keywords whose value is an object of subschemas by name. */
    private static final List<String> SCHEMA_MAPS = List.of("properties", "patternProperties", "$defs", "definitions",
            "dependentSchemas", "dependencies");
    /** Keywords whose value is a subschema or a list of them. */
    private static final List<String> SCHEMA_LISTS = List.of("items", "prefixItems", "allOf", "anyOf", "oneOf");
    /** Keywords whose value is one subschema. */
    private static final List<String> SCHEMAS = List.of("additionalProperties", "unevaluatedProperties",
            "additionalItems", "unevaluatedItems", "contains", "propertyNames", "not", "if", "then", "else",
            "contentSchema");
    /** Far beyond any schema the suite accepts (depth 32); past it everything is hidden rather than guessed. */
    private static final int MAX_DEPTH = 128;
    private static final int MAX_SCHEMAS_PER_PLACE = 10_000;

    private SecretMask() {
    }

    /** Whether {@code schema} marks anything secret. */
    public static boolean hasSecrets(JsonNode schema) {
        boolean[] found = {false};
        eachSchema(schema, "", 0, (path, node) -> found[0] |= isSecret(node));
        return found[0];
    }

    /**
     * {@code value} as anyone but the resumed execution sees it: a copy with every secret replaced by {@link #MASK};
     * {@code value} itself when {@code schema} has no secrets.
     */
    public static JsonNode mask(JsonNode schema, JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode() || !hasSecrets(schema)) {
            return value;
        }
        List<String> secrets = new Walk(schema).secretsIn(value);
        if (secrets.isEmpty()) {
            return value;
        }
        if (secrets.contains("")) {
            return StringNode.valueOf(MASK);
        }
        JsonNode copy = value.deepCopy();
        for (String pointer : secrets) {
            JsonPointer at = JsonPointer.compile(pointer);
            JsonNode parent = copy.at(at.head());
            String last = at.last().getMatchingProperty();
            if (parent instanceof ObjectNode object) {
                object.put(last, MASK);
            } else if (parent instanceof ArrayNode array) {
                array.set(Integer.parseInt(last), StringNode.valueOf(MASK));
            }
        }
        return copy;
    }

    /**
     * JSON pointers to the secret values in {@code value}, outermost only ({@code ""} when the whole value is
     * secret), in document order.
     */
    public static List<String> secretPointers(JsonNode schema, JsonNode value) {
        if (value == null || value.isMissingNode() || !hasSecrets(schema)) {
            return List.of();
        }
        return new Walk(schema).secretsIn(value);
    }

    /**
     * Validation errors about {@code value} that neither name nor quote a secret: a path inside a secret (a property
     * name of a secret object, say) is cut back to the secret's own place, and any text of a secret that a message
     * quotes is replaced by {@link #MASK}.
     */
    public static List<ErrorDetail> maskDetails(JsonNode schema, JsonNode value, List<ErrorDetail> details) {
        List<String> secrets = secretPointers(schema, value);
        if (secrets.isEmpty() || details.isEmpty()) {
            return details;
        }
        Set<String> texts = new LinkedHashSet<>();
        for (String pointer : secrets) {
            collectTexts(value.at(pointer), texts);
        }
        List<String> longestFirst = new ArrayList<>(texts);
        longestFirst.sort(Comparator.comparingInt(String::length).reversed());
        List<ErrorDetail> masked = new ArrayList<>(details.size());
        for (ErrorDetail detail : details) {
            String path = detail.path() == null ? "" : detail.path();
            for (String secret : secrets) {
                if (secret.isEmpty() || path.equals(secret) || path.startsWith(secret + "/")) {
                    path = secret;
                    break;
                }
            }
            String message = detail.message() == null ? "" : detail.message();
            for (String text : longestFirst) {
                message = message.replace(text, MASK);
            }
            masked.add(new ErrorDetail(path, message));
        }
        return masked;
    }

    /**
     * What is wrong with the schema's secret markings: {@code secret} must be {@code true} or {@code false}, so that
     * a typo such as {@code "secret": "yes"} is refused instead of leaving a value in clear. Paths point into the schema.
     */
    public static List<ErrorDetail> problemsWith(JsonNode schema) {
        List<ErrorDetail> problems = new ArrayList<>();
        eachSchema(schema, "", 0, (path, node) -> {
            JsonNode marking = node.get(KEYWORD);
            if (marking != null && !marking.isBoolean()) {
                problems.add(new ErrorDetail(path + "/" + KEYWORD, "secret must be true or false"));
            }
        });
        return problems;
    }

    private static boolean isSecret(JsonNode schema) {
        return schema.isObject() && schema.path(KEYWORD).isBoolean() && schema.get(KEYWORD).asBoolean();
    }

    /** Visits every schema object in {@code schema} (itself included) with its JSON pointer. */
    private static void eachSchema(JsonNode schema, String path, int depth, BiConsumer<String, JsonNode> visit) {
        if (schema == null || !schema.isObject() || depth > MAX_DEPTH) {
            return;
        }
        visit.accept(path, schema);
        for (String keyword : SCHEMA_MAPS) {
            JsonNode map = schema.get(keyword);
            if (map != null && map.isObject()) {
                for (Map.Entry<String, JsonNode> entry : map.properties()) {
                    eachSchema(entry.getValue(), path + "/" + keyword + "/" + escape(entry.getKey()), depth + 1, visit);
                }
            }
        }
        for (String keyword : SCHEMA_LISTS) {
            JsonNode list = schema.get(keyword);
            if (list != null && list.isArray()) {
                for (int i = 0; i < list.size(); i++) {
                    eachSchema(list.get(i), path + "/" + keyword + "/" + i, depth + 1, visit);
                }
            } else {
                eachSchema(list, path + "/" + keyword, depth + 1, visit);
            }
        }
        for (String keyword : SCHEMAS) {
            eachSchema(schema.get(keyword), path + "/" + keyword, depth + 1, visit);
        }
    }

    private static void collectTexts(JsonNode node, Set<String> texts) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return;
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                addText(entry.getKey(), texts);
                collectTexts(entry.getValue(), texts);
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                collectTexts(item, texts);
            }
        } else {
            addText(node.asString(), texts);
        }
    }

    private static void addText(String text, Set<String> texts) {
        if (text != null && !text.isEmpty()) {
            texts.add(text);
            String quoted = StringNode.valueOf(text).toString();
            texts.add(quoted.substring(1, quoted.length() - 1)); // as a JSON string would spell it
        }
    }

    static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    /** One pass over a value with the schemas that apply at each of its places. */
    private static final class Walk {
        private final JsonNode root;
        private final List<String> secrets = new ArrayList<>();
        private final Map<String, Pattern> patterns = new HashMap<>();
        private Map<String, JsonNode> resources;

        Walk(JsonNode root) {
            this.root = root;
        }

        List<String> secretsIn(JsonNode value) {
            visit(List.of(root), value, "", 0);
            return secrets;
        }

        private void visit(List<JsonNode> schemas, JsonNode value, String pointer, int depth) {
            Applicable here = applicable(schemas);
            if (here.secret || depth > MAX_DEPTH) {
                secrets.add(pointer);
                return;
            }
            if (here.schemas.isEmpty()) {
                return;
            }
            if (value.isObject()) {
                for (Map.Entry<String, JsonNode> entry : value.properties()) {
                    List<JsonNode> children = propertySchemas(here.schemas, entry.getKey());
                    if (!children.isEmpty()) {
                        visit(children, entry.getValue(), pointer + "/" + escape(entry.getKey()), depth + 1);
                    }
                }
            } else if (value.isArray()) {
                for (int i = 0; i < value.size(); i++) {
                    List<JsonNode> children = itemSchemas(here.schemas, i);
                    if (!children.isEmpty()) {
                        visit(children, value.get(i), pointer + "/" + i, depth + 1);
                    }
                }
            }
        }

        private record Applicable(List<JsonNode> schemas, boolean secret) {
        }

        /**
         * Every schema that applies at one place: the given ones and, transitively, what their {@code $ref}s,
         * combinators and conditionals bring in. Each schema once, so that a {@code $ref} cycle ends.
         */
        private Applicable applicable(List<JsonNode> start) {
            Set<JsonNode> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            List<JsonNode> all = new ArrayList<>();
            Deque<JsonNode> work = new ArrayDeque<>(start);
            while (!work.isEmpty()) {
                JsonNode schema = work.pop();
                if (schema == null || !schema.isObject() || !seen.add(schema)) {
                    continue;
                }
                if (isSecret(schema) || all.size() > MAX_SCHEMAS_PER_PLACE) {
                    return new Applicable(List.of(), true);
                }
                all.add(schema);
                for (String keyword : List.of("$ref", "$dynamicRef", "$recursiveRef")) {
                    JsonNode ref = schema.get(keyword);
                    if (ref != null && ref.isString()) {
                        JsonNode target = resolve(ref.asString());
                        if (target == null) {
                            return new Applicable(List.of(), true); // cannot tell what it holds: hide it
                        }
                        work.push(target);
                    }
                }
                for (String keyword : List.of("allOf", "anyOf", "oneOf")) {
                    schema.path(keyword).forEach(work::push);
                }
                for (String keyword : List.of("if", "then", "else")) {
                    if (schema.has(keyword)) {
                        work.push(schema.get(keyword));
                    }
                }
                for (String keyword : List.of("dependentSchemas", "dependencies")) {
                    schema.path(keyword).forEach(work::push);
                }
            }
            return new Applicable(all, false);
        }

        private List<JsonNode> propertySchemas(List<JsonNode> schemas, String name) {
            List<JsonNode> children = new ArrayList<>();
            for (JsonNode schema : schemas) {
                boolean named = false;
                JsonNode properties = schema.get("properties");
                if (properties != null && properties.isObject() && properties.has(name)) {
                    children.add(properties.get(name));
                    named = true;
                }
                JsonNode patternProperties = schema.get("patternProperties");
                if (patternProperties != null && patternProperties.isObject()) {
                    for (Map.Entry<String, JsonNode> entry : patternProperties.properties()) {
                        if (matches(entry.getKey(), name)) {
                            children.add(entry.getValue());
                            named = true;
                        }
                    }
                }
                if (!named) {
                    addIfPresent(children, schema.get("additionalProperties"));
                    addIfPresent(children, schema.get("unevaluatedProperties"));
                }
            }
            return children;
        }

        private List<JsonNode> itemSchemas(List<JsonNode> schemas, int index) {
            List<JsonNode> children = new ArrayList<>();
            for (JsonNode schema : schemas) {
                JsonNode items = schema.get("items");
                JsonNode prefixItems = schema.get("prefixItems");
                if (items != null && items.isArray()) { // draft 2019-09 and older: a tuple
                    addIfPresent(children, index < items.size() ? items.get(index) : schema.get("additionalItems"));
                } else if (prefixItems != null && prefixItems.isArray() && index < prefixItems.size()) {
                    children.add(prefixItems.get(index));
                } else {
                    addIfPresent(children, items);
                    if (items == null) {
                        addIfPresent(children, schema.get("unevaluatedItems"));
                    }
                }
                addIfPresent(children, schema.get("contains"));
            }
            return children;
        }

        private static void addIfPresent(List<JsonNode> children, JsonNode schema) {
            if (schema != null && schema.isObject()) {
                children.add(schema);
            }
        }

        /**
         * A pattern as JSON Schema applies it (anywhere in the name), on the linear-time engine validation uses; one
         * that cannot be compiled is said to match.
         */
        private boolean matches(String regex, String name) {
            Pattern pattern = patterns.computeIfAbsent(regex, r -> {
                try {
                    return LinearPatterns.compile(r);
                } catch (RuntimeException e) {
                    return null;
                }
            });
            return pattern == null || pattern.matcher(name).find();
        }

        /** The schema a reference within the document names: a JSON pointer, an anchor or an embedded {@code $id}. */
        private JsonNode resolve(String ref) {
            int hash = ref.indexOf('#');
            String base = hash < 0 ? ref : ref.substring(0, hash);
            String fragment = hash < 0 ? "" : URLDecoder.decode(ref.substring(hash + 1), StandardCharsets.UTF_8);
            JsonNode document = base.isEmpty() ? root : resources().get(base);
            if (document == null) {
                document = resources().entrySet().stream()
                        .filter(e -> e.getKey().endsWith("/" + base)).map(Map.Entry::getValue).findFirst().orElse(null);
            }
            if (document == null) {
                return null;
            }
            if (fragment.isEmpty()) {
                return document;
            }
            if (fragment.startsWith("/")) {
                try {
                    JsonNode target = document.at(JsonPointer.compile(fragment));
                    return target.isMissingNode() ? null : target;
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
            return resources().get("#" + fragment);
        }

        /** Embedded resources by {@code $id}, and anchors ({@code $anchor}, {@code $dynamicAnchor}) as "#name". */
        private Map<String, JsonNode> resources() {
            if (resources == null) {
                resources = new HashMap<>();
                eachSchema(root, "", 0, (path, schema) -> {
                    for (String keyword : List.of("$id", "id")) {
                        JsonNode id = schema.get(keyword);
                        if (id != null && id.isString()) {
                            String text = id.asString();
                            resources.putIfAbsent(text.endsWith("#") ? text.substring(0, text.length() - 1) : text,
                                    schema);
                        }
                    }
                    for (String keyword : List.of("$anchor", "$dynamicAnchor")) {
                        JsonNode anchor = schema.get(keyword);
                        if (anchor != null && anchor.isString()) {
                            resources.putIfAbsent("#" + anchor.asString(), schema);
                        }
                    }
                });
            }
            return resources;
        }
    }
}
