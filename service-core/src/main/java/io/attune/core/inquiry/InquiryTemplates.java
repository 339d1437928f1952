package io.attune.core.inquiry;

import io.attune.model.json.Json;
import io.attune.model.rest.ApiError.ErrorDetail;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.attune.core.JsonColumns.json;

/**
 * Inquiry templates (docs/policies.md#templates): {@code packs/<pack>/inquiries/<name>.yaml}, registered by the
 * workers in {@code attune.inquiry_template}. The one place an {@code __inquiry} naming a {@code template} is
 * expanded — for the executor and for the api alike: the template's fields, {@code {{var}}} replaced by
 * {@code vars} in every string, then the inline fields on top.
 */
@Component
public class InquiryTemplates {
    /** The fields a template may set: those of an {@code __inquiry}, but a template naming another. */
    public static final Set<String> FIELDS = Set.of("prompt", "response_schema", "assigned_to", "timeout_seconds",
            "allow_self_approval", "approvals_required", "decision_field", "on_timeout", "remind_every_seconds",
            "escalation");
    /** The fields that name a template and fill it in; they are gone once it is expanded. */
    public static final Set<String> REFERENCE = Set.of("template", "vars");
    static final Pattern VAR = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");
    private static final Pattern REF = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]*\\.[A-Za-z0-9_][A-Za-z0-9_-]*");

    private final JdbcClient jdbc;

    public InquiryTemplates(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * {@code inquiry} as asked when it names no template; otherwise the template expanded with its {@code vars} and
     * the inline fields on top (without {@code template} and {@code vars}), or why that cannot be done.
     */
    public Expansion expand(JsonNode inquiry) {
        if (inquiry == null || !inquiry.isObject() || !inquiry.has("template")) {
            return new Expansion(inquiry, List.of());
        }
        JsonNode ref = inquiry.get("template");
        if (!ref.isString() || !REF.matcher(ref.asString()).matches()) {
            return Expansion.failed("/template", "template must name one as \"<pack>.<name>\", not " + ref);
        }
        JsonNode vars = inquiry.path("vars");
        if (!vars.isMissingNode() && !vars.isNull() && !vars.isObject()) {
            return Expansion.failed("/vars", "vars must be an object of names and values");
        }
        Optional<Stored> stored = find(ref.asString());
        if (stored.isEmpty()) {
            return Expansion.failed("/template", "template " + ref.asString() + " does not exist (no worker has "
                    + "registered packs/" + ref.asString().replace('.', '/').replaceFirst("/", "/inquiries/")
                    + ".yaml)");
        }
        if (stored.get().errors() != null) {
            List<ErrorDetail> problems = new ArrayList<>();
            for (JsonNode error : stored.get().errors()) {
                problems.add(new ErrorDetail("/template", "template " + ref.asString() + " is invalid: "
                        + error.path("file").asString("") + ":" + error.path("line").asInt() + ": "
                        + error.path("message").asString("")));
            }
            return new Expansion(null, problems);
        }
        Set<String> missing = new LinkedHashSet<>();
        JsonNode expanded = substitute(stored.get().definition(), vars.isObject() ? vars : Json.object(), missing);
        if (!missing.isEmpty()) {
            return Expansion.failed("/vars", "template " + ref.asString() + " uses " + String.join(", ",
                    missing.stream().map(v -> "{{" + v + "}}").toList()) + ", which vars does not give");
        }
        ObjectNode merged = (ObjectNode) expanded;
        for (Map.Entry<String, JsonNode> field : inquiry.properties()) {
            if (!REFERENCE.contains(field.getKey())) {
                merged.set(field.getKey(), field.getValue());
            }
        }
        return new Expansion(merged, List.of());
    }

    /**
     * {@code node} with every {@code {{var}}} in its strings replaced: a string that is one placeholder alone takes
     * the variable's value as it is (a number stays a number), one inside other text takes its text.
     */
    static JsonNode substitute(JsonNode node, JsonNode vars, Set<String> missing) {
        if (node.isString()) {
            String text = node.asString();
            Matcher whole = VAR.matcher(text);
            if (whole.matches()) {
                JsonNode value = vars.get(whole.group(1));
                if (value == null) {
                    missing.add(whole.group(1));
                    return node;
                }
                return value.deepCopy();
            }
            Matcher each = VAR.matcher(text);
            StringBuilder out = new StringBuilder();
            while (each.find()) {
                JsonNode value = vars.get(each.group(1));
                if (value == null) {
                    missing.add(each.group(1));
                    each.appendReplacement(out, Matcher.quoteReplacement(each.group()));
                } else {
                    each.appendReplacement(out, Matcher.quoteReplacement(value.isString() ? value.asString()
                            : Json.write(value)));
                }
            }
            each.appendTail(out);
            return StringNode.valueOf(out.toString());
        }
        if (node.isObject()) {
            ObjectNode copy = Json.object();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                copy.set(field.getKey(), substitute(field.getValue(), vars, missing));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = Json.mapper().createArrayNode();
            for (JsonNode item : node) {
                copy.add(substitute(item, vars, missing));
            }
            return copy;
        }
        return node;
    }

    /** Registers (or replaces) a template as a worker found it: valid with its definition, or with its errors. */
    public void register(String ref, String file, JsonNode definition, JsonNode errors) {
        jdbc.sql("INSERT INTO attune.inquiry_template (ref, file, definition, errors) VALUES (?, ?, ?::jsonb, "
                        + "?::jsonb) ON CONFLICT (ref) DO UPDATE SET file = excluded.file, "
                        + "definition = excluded.definition, errors = excluded.errors, registered = now()")
                .params(ref, file, definition == null ? null : Json.write(definition),
                        errors == null ? null : Json.write(errors))
                .update();
    }

    private Optional<Stored> find(String ref) {
        return jdbc.sql("SELECT definition::text AS definition, errors::text AS errors FROM attune.inquiry_template "
                        + "WHERE ref = ?")
                .param(ref).query((rs, n) -> new Stored(json(rs, "definition"), json(rs, "errors"))).optional();
    }

    private record Stored(JsonNode definition, JsonNode errors) {
    }

    /** The {@code __inquiry} to validate, or why the template could not be expanded (JSON pointers). */
    public record Expansion(JsonNode inquiry, List<ErrorDetail> problems) {
        static Expansion failed(String path, String message) {
            return new Expansion(null, List.of(new ErrorDetail(path, message)));
        }

        public boolean isValid() {
            return problems.isEmpty();
        }
    }
}
