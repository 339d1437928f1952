package io.attune.api.link;

import io.attune.model.json.Json;
import io.attune.model.rest.ApiError.ErrorDetail;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.attune.api.link.Html.esc;
import static io.attune.api.link.Html.humanise;

/**
 * The signed-link page's form, generated from {@code response_schema} without JavaScript, and its reading back into
 * an answer. Every control is named by the JSON pointer of its value ({@code /approved}, {@code /db/password}), so a
 * 422's {@code details} land next to their field. What the form cannot express is a JSON text area for that field.
 */
final class LinkForm {
    /** The whole answer as JSON, when the schema gives no properties to make fields of. */
    static final String WHOLE = "__json";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int RADIO_MAX = 4;

    private final Map<String, List<String>> errors;
    private final JsonNode previous;
    private final StringBuilder html = new StringBuilder();
    private int ids;

    private LinkForm(Map<String, List<String>> errors, JsonNode previous) {
        this.errors = errors;
        this.previous = previous;
    }

    /** The form's fields (without the form element), with {@code errors} by pointer and the values typed before. */
    static String fields(JsonNode schema, JsonNode previous, Map<String, List<String>> errors) {
        LinkForm form = new LinkForm(errors, previous);
        if (hasProperties(schema)) {
            form.properties(schema, "");
        } else {
            form.jsonArea(WHOLE, "Your answer (JSON)", "The answer as a JSON object.",
                    previous == null ? "{}" : Json.write(previous), true, schema);
        }
        return form.html.toString();
    }

    // ---- rendering -----------------------------------------------------------------------------------------------

    private void properties(JsonNode schema, String pointer) {
        Set<String> required = requiredOf(schema);
        // required fields first, as in the web UI: what must be answered is seen first
        List<Map.Entry<String, JsonNode>> ordered = new ArrayList<>();
        schema.get("properties").properties().stream().filter(e -> required.contains(e.getKey())).forEach(ordered::add);
        schema.get("properties").properties().stream().filter(e -> !required.contains(e.getKey())).forEach(ordered::add);
        for (Map.Entry<String, JsonNode> property : ordered) {
            JsonNode sub = property.getValue();
            if (sub.path("readOnly").asBoolean(false)) {
                continue;
            }
            field(property.getKey(), sub, pointer + "/" + escapePointer(property.getKey()),
                    required.contains(property.getKey()));
        }
    }

    private void field(String name, JsonNode schema, String pointer, boolean required) {
        String label = schema.path("title").isString() ? schema.get("title").asString() : humanise(name);
        String help = schema.path("description").isString() ? schema.get("description").asString() : null;
        JsonNode before = previousAt(pointer);
        JsonNode options = schema.get("enum") != null && schema.get("enum").isArray() ? schema.get("enum")
                : schema.has("const") ? NODES.arrayNode().add(schema.get("const")) : null;
        String type = typeOf(schema);
        if (options != null && !options.isEmpty()) {
            choice(pointer, label, help, required, options, before == null ? schema.get("default") : before);
        } else if ("boolean".equals(type)) {
            JsonNode chosen = before == null ? schema.get("default") : before;
            choice(pointer, label, help, required, NODES.arrayNode().add(true).add(false), chosen);
        } else if ("object".equals(type) && hasProperties(schema)) {
            String id = nextId();
            html.append("<fieldset class=\"group\" id=\"").append(id).append("\"><legend>").append(esc(label))
                    .append(requiredMark(required)).append("</legend>");
            help(id, help);
            fieldErrors(id, pointer);
            properties(schema, pointer);
            html.append("</fieldset>");
        } else if ("string".equals(type) || "integer".equals(type) || "number".equals(type)) {
            input(pointer, label, help, required, schema, type, before);
        } else if ("array".equals(type) && schema.path("items").path("enum").isArray()) {
            checkboxes(pointer, label, help, required, schema.get("items").get("enum"), before);
        } else if ("array".equals(type) && isScalarType(typeOf(schema.path("items")))) {
            String text = before != null && before.isArray() ? lines(before) : "";
            String id = nextId();
            labelled(id, label + " (one per line)", required);
            help(id, help);
            fieldErrors(id, pointer);
            html.append("<textarea id=\"").append(id).append("\" name=\"").append(esc(pointer)).append("\" rows=\"4\"")
                    .append(describedBy(id, help, pointer)).append(required ? " required" : "").append(">")
                    .append(esc(text)).append("</textarea></div>");
        } else {
            jsonArea(pointer, label, help, before == null ? (schema.has("default") ? Json.write(schema.get("default"))
                    : "") : Json.write(before), required, schema);
        }
    }

    private void choice(String pointer, String label, String help, boolean required, JsonNode options,
                        JsonNode chosen) {
        String id = nextId();
        if (options.size() <= RADIO_MAX) {
            html.append("<fieldset class=\"field choice\" id=\"").append(id).append("\"")
                    .append(describedBy(id, help, pointer)).append("><legend>").append(esc(label))
                    .append(requiredMark(required)).append("</legend>");
            help(id, help);
            fieldErrors(id, pointer);
            for (int i = 0; i < options.size(); i++) {
                JsonNode option = options.get(i);
                String optionId = id + "-" + i;
                html.append("<label class=\"option\" for=\"").append(optionId).append("\"><input type=\"radio\" id=\"")
                        .append(optionId).append("\" name=\"").append(esc(pointer)).append("\" value=\"").append(i)
                        .append("\"").append(option.equals(chosen) ? " checked" : "")
                        .append(required ? " required" : "").append("> ").append(esc(optionLabel(option)))
                        .append("</label>");
            }
            html.append("</fieldset>");
        } else {
            labelled(id, label, required);
            help(id, help);
            fieldErrors(id, pointer);
            html.append("<select id=\"").append(id).append("\" name=\"").append(esc(pointer)).append("\"")
                    .append(describedBy(id, help, pointer)).append(required ? " required" : "").append(">")
                    .append("<option value=\"\">Choose…</option>");
            for (int i = 0; i < options.size(); i++) {
                html.append("<option value=\"").append(i).append("\"")
                        .append(options.get(i).equals(chosen) ? " selected" : "").append(">")
                        .append(esc(optionLabel(options.get(i)))).append("</option>");
            }
            html.append("</select></div>");
        }
    }

    private void checkboxes(String pointer, String label, String help, boolean required, JsonNode options,
                            JsonNode chosen) {
        String id = nextId();
        html.append("<fieldset class=\"field choice\" id=\"").append(id).append("\"")
                .append(describedBy(id, help, pointer)).append("><legend>").append(esc(label))
                .append(requiredMark(required)).append("</legend>");
        help(id, help);
        fieldErrors(id, pointer);
        for (int i = 0; i < options.size(); i++) {
            boolean checked = false;
            if (chosen != null && chosen.isArray()) {
                for (JsonNode c : chosen) {
                    checked |= c.equals(options.get(i));
                }
            }
            html.append("<label class=\"option\" for=\"").append(id).append("-").append(i)
                    .append("\"><input type=\"checkbox\" id=\"").append(id).append("-").append(i).append("\" name=\"")
                    .append(esc(pointer)).append("\" value=\"").append(i).append("\"").append(checked ? " checked" : "")
                    .append("> ").append(esc(optionLabel(options.get(i)))).append("</label>");
        }
        html.append("</fieldset>");
    }

    private void input(String pointer, String label, String help, boolean required, JsonNode schema, String type,
                       JsonNode before) {
        boolean secret = schema.path("secret").asBoolean(false) || schema.path("writeOnly").asBoolean(false)
                || "password".equals(schema.path("format").asString(""));
        String id = nextId();
        labelled(id, label, required);
        help(id, help);
        fieldErrors(id, pointer);
        // a secret is never written back into the page: it is typed again after a refused answer
        String value = secret ? "" : before != null ? (before.isString() ? before.asString() : Json.write(before))
                : schema.has("default") && !schema.get("default").isContainer()
                ? (schema.get("default").isString() ? schema.get("default").asString() : Json.write(schema.get("default")))
                : "";
        String common = " id=\"" + id + "\" name=\"" + esc(pointer) + "\"" + describedBy(id, help, pointer)
                + (required ? " required" : "")
                + (schema.path("examples").path(0).isValueNode() && !secret
                ? " placeholder=\"" + esc(schema.get("examples").get(0).asString()) + "\"" : "");
        if ("string".equals(type) && !secret) {
            String format = schema.path("format").asString("");
            int maxLength = schema.path("maxLength").asInt(-1);
            String max = maxLength > 0 ? " maxlength=\"" + maxLength + "\"" : "";
            if (format.isEmpty() && !schema.has("pattern") && (maxLength < 0 || maxLength > 100)) {
                html.append("<textarea rows=\"3\"").append(common).append(max).append(">").append(esc(value))
                        .append("</textarea></div>");
                return;
            }
            String inputType = switch (format) {
                case "email" -> "email";
                case "uri" -> "url";
                case "date" -> "date";
                default -> "text";
            };
            html.append("<input type=\"").append(inputType).append("\"").append(common).append(max)
                    .append(" value=\"").append(esc(value)).append("\"></div>");
        } else if (secret) {
            html.append("<input type=\"password\" autocomplete=\"new-password\"").append(common)
                    .append("integer".equals(type) || "number".equals(type) ? " inputmode=\"decimal\"" : "")
                    .append(" value=\"\"></div>");
        } else {
            html.append("<input type=\"text\"").append(common)
                    .append(" inputmode=\"").append("integer".equals(type) ? "numeric" : "decimal").append("\"")
                    .append(" value=\"").append(esc(value)).append("\"></div>");
        }
    }

    private void jsonArea(String pointer, String label, String help, String value, boolean required, JsonNode schema) {
        String id = nextId();
        labelled(id, label + " (JSON)", required);
        help(id, help);
        fieldErrors(id, pointer.equals(WHOLE) ? "" : pointer);
        html.append("<textarea class=\"json\" rows=\"6\" spellcheck=\"false\" id=\"").append(id).append("\" name=\"")
                .append(esc(pointer)).append("\"").append(describedBy(id, help, pointer))
                .append(required ? " required" : "").append(">").append(esc(value)).append("</textarea>");
        if (schema != null && !schema.isMissingNode()) {
            html.append("<details><summary>Expected JSON</summary><pre>")
                    .append(esc(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(schema)))
                    .append("</pre></details>");
        }
        html.append("</div>");
    }

    private void labelled(String id, String label, boolean required) {
        html.append("<div class=\"field\"><label for=\"").append(id).append("\">").append(esc(label))
                .append(requiredMark(required)).append("</label>");
    }

    private void help(String id, String help) {
        if (help != null) {
            html.append("<p class=\"help\" id=\"").append(id).append("-help\">").append(esc(help)).append("</p>");
        }
    }

    private void fieldErrors(String id, String pointer) {
        List<String> messages = errors.get(pointer);
        if (messages != null && !messages.isEmpty()) {
            html.append("<ul class=\"field-error\" id=\"").append(id).append("-error\">");
            messages.forEach(m -> html.append("<li>").append(esc(m)).append("</li>"));
            html.append("</ul>");
        }
    }

    private String describedBy(String id, String help, String pointer) {
        List<String> refs = new ArrayList<>();
        if (help != null) {
            refs.add(id + "-help");
        }
        boolean invalid = errors.containsKey(pointer.equals(WHOLE) ? "" : pointer);
        if (invalid) {
            refs.add(id + "-error");
        }
        return (refs.isEmpty() ? "" : " aria-describedby=\"" + String.join(" ", refs) + "\"")
                + (invalid ? " aria-invalid=\"true\"" : "");
    }

    private String nextId() {
        return "f" + (++ids);
    }

    private JsonNode previousAt(String pointer) {
        if (previous == null) {
            return null;
        }
        JsonNode at = previous.at(pointer);
        return at.isMissingNode() ? null : at;
    }

    private static String requiredMark(boolean required) {
        return required ? " <span class=\"required\">(required)</span>" : "";
    }

    private static String optionLabel(JsonNode option) {
        if (option.isBoolean()) {
            return option.asBoolean() ? "Yes" : "No";
        }
        return option.isString() ? option.asString() : Json.write(option);
    }

    private static String lines(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(item -> out.add(item.isString() ? item.asString() : Json.write(item)));
        return String.join("\n", out);
    }

    // ---- reading the form back -----------------------------------------------------------------------------------

    /** The answer the submitted form means, and what could not be read at all (by pointer, like a 422's details). */
    record Submission(JsonNode response, List<ErrorDetail> problems) {
    }

    static Submission read(JsonNode schema, Map<String, String[]> params) {
        List<ErrorDetail> problems = new ArrayList<>();
        if (!hasProperties(schema)) {
            String text = first(params, WHOLE);
            try {
                return new Submission(Json.tree(text == null || text.isBlank() ? "{}" : text), problems);
            } catch (RuntimeException e) {
                problems.add(new ErrorDetail("", "this is not valid JSON"));
                return new Submission(null, problems);
            }
        }
        ObjectNode answer = readObject(schema, "", params, problems);
        return new Submission(answer == null ? Json.object() : answer, problems);
    }

    private static ObjectNode readObject(JsonNode schema, String pointer, Map<String, String[]> params,
                                         List<ErrorDetail> problems) {
        ObjectNode object = Json.object();
        for (Map.Entry<String, JsonNode> property : schema.get("properties").properties()) {
            JsonNode sub = property.getValue();
            if (sub.path("readOnly").asBoolean(false)) {
                continue;
            }
            JsonNode value = readField(sub, pointer + "/" + escapePointer(property.getKey()), params, problems);
            if (value != null) {
                object.set(property.getKey(), value);
            }
        }
        return object.isEmpty() ? null : object;
    }

    private static JsonNode readField(JsonNode schema, String pointer, Map<String, String[]> params,
                                      List<ErrorDetail> problems) {
        JsonNode options = schema.get("enum") != null && schema.get("enum").isArray() ? schema.get("enum")
                : schema.has("const") ? NODES.arrayNode().add(schema.get("const")) : null;
        String type = typeOf(schema);
        if (options != null && !options.isEmpty()) {
            return option(options, first(params, pointer), pointer, problems);
        }
        if ("boolean".equals(type)) {
            return option(NODES.arrayNode().add(true).add(false), first(params, pointer), pointer, problems);
        }
        if ("object".equals(type) && hasProperties(schema)) {
            return readObject(schema, pointer, params, problems);
        }
        if ("array".equals(type) && schema.path("items").path("enum").isArray()) {
            String[] chosen = params.get(pointer);
            if (chosen == null) {
                return null;
            }
            ArrayNode array = NODES.arrayNode();
            for (String c : chosen) {
                JsonNode one = option(schema.get("items").get("enum"), c, pointer, problems);
                if (one != null) {
                    array.add(one);
                }
            }
            return array;
        }
        String text = first(params, pointer);
        if (text == null || text.isEmpty()) {
            return null; // an empty field is an absent value: "required" says so if it must be there
        }
        if ("string".equals(type)) {
            return NODES.stringNode(text);
        }
        if ("integer".equals(type) || "number".equals(type)) {
            return number(text.trim());
        }
        if ("array".equals(type) && isScalarType(typeOf(schema.path("items")))) {
            String itemType = typeOf(schema.get("items"));
            ArrayNode array = NODES.arrayNode();
            for (String line : text.split("\\R")) {
                if (line.isBlank()) {
                    continue;
                }
                String item = "string".equals(itemType) ? line : line.trim();
                array.add(switch (itemType) {
                    case "integer", "number" -> number(item);
                    case "boolean" -> "true".equalsIgnoreCase(item) || "yes".equalsIgnoreCase(item)
                            ? NODES.booleanNode(true) : "false".equalsIgnoreCase(item) || "no".equalsIgnoreCase(item)
                            ? NODES.booleanNode(false) : NODES.stringNode(item);
                    default -> NODES.stringNode(item);
                });
            }
            return array;
        }
        try {
            return Json.tree(text);
        } catch (RuntimeException e) {
            problems.add(new ErrorDetail(pointer, "this is not valid JSON"));
            return null;
        }
    }

    /** A number as JSON reads it; anything else stays text, so that the schema names the field's mistake. */
    private static JsonNode number(String text) {
        if (!text.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?") || text.length() > 100) {
            return NODES.stringNode(text);
        }
        BigDecimal value = new BigDecimal(text);
        if (value.scale() <= 0 || value.stripTrailingZeros().scale() <= 0) {
            try {
                return NODES.numberNode(value.toBigIntegerExact());
            } catch (ArithmeticException ignored) {
                // falls through to a decimal
            }
        }
        return NODES.numberNode(value);
    }

    private static JsonNode option(JsonNode options, String chosen, String pointer, List<ErrorDetail> problems) {
        if (chosen == null || chosen.isEmpty()) {
            return null;
        }
        try {
            int index = Integer.parseInt(chosen);
            if (index >= 0 && index < options.size()) {
                return options.get(index);
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        problems.add(new ErrorDetail(pointer, "not one of the offered choices"));
        return null;
    }

    // ---- schema helpers ------------------------------------------------------------------------------------------

    static boolean hasProperties(JsonNode schema) {
        return schema != null && schema.path("properties").isObject() && !schema.get("properties").isEmpty()
                && (!schema.has("type") || "object".equals(typeOf(schema)));
    }

    private static Set<String> requiredOf(JsonNode schema) {
        Set<String> required = new HashSet<>();
        schema.path("required").forEach(r -> required.add(r.asString()));
        return required;
    }

    /** The schema's one type (a {@code ["string", "null"]} counts as string); null when it has none or several. */
    static String typeOf(JsonNode schema) {
        JsonNode type = schema == null ? null : schema.get("type");
        if (type == null) {
            return schema != null && schema.path("properties").isObject() ? "object" : null;
        }
        if (type.isString()) {
            return type.asString();
        }
        String only = null;
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (!"null".equals(t.asString())) {
                    if (only != null) {
                        return null;
                    }
                    only = t.asString();
                }
            }
        }
        return only;
    }

    private static boolean isScalarType(String type) {
        return "string".equals(type) || "integer".equals(type) || "number".equals(type) || "boolean".equals(type);
    }

    private static String escapePointer(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    private static String first(Map<String, String[]> params, String name) {
        String[] values = params.get(name);
        return values == null || values.length == 0 ? null : values[0];
    }
}
