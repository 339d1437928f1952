package io.attune.core.slack;

import io.attune.core.inquiry.JsonSchemas;
import io.attune.model.json.Json;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.Optional;

/**
 * Whether an inquiry can be answered with one Approve / Reject button, and with which property. The decision field is
 * the inquiry's {@code decision_field} when it names a top-level boolean; without one, the first property of the schema's {@code required} list that is a top-level {@code "type": "boolean"} — and only
 * when {@code {"<field>": true}} and {@code {"<field>": false}} are each a complete, valid answer by themselves (no
 * other required field, no condition refusing one of them). Otherwise the message carries a link instead.
 */
@Component
public class SlackDecision {
    public static final String APPROVE = "attune_approve";
    public static final String REJECT = "attune_reject";
    private final JsonSchemas schemas;

    public SlackDecision(JsonSchemas schemas) {
        this.schemas = schemas;
    }

    /** The decision field's name, when buttons can answer this schema (an inquiry without a decision_field). */
    public Optional<String> field(JsonNode schema) {
        return field(schema, null);
    }

    /**
     * The decision field's name, when buttons can answer: the inquiry's {@code decision_field} when it has one (a
     * top-level pointer such as {@code /approved} to a boolean property; a deeper pointer gets a link), else the
     * schema's first required boolean; in both cases only when each button's answer alone is valid.
     */
    public Optional<String> field(JsonNode schema, String decisionField) {
        if (schema == null || !schema.path("properties").isObject()) {
            return Optional.empty();
        }
        if (decisionField != null) {
            if (!decisionField.matches("/[^/]+")) {
                return Optional.empty();
            }
            String name = decisionField.substring(1).replace("~1", "/").replace("~0", "~");
            JsonNode property = schema.get("properties").get(name);
            return property != null && "boolean".equals(property.path("type").asString(""))
                    && !property.path("secret").asBoolean(false) && answersAlone(schema, name)
                    ? Optional.of(name) : Optional.empty();
        }
        for (JsonNode name : schema.path("required")) {
            JsonNode property = schema.get("properties").get(name.asString());
            if (property != null && "boolean".equals(property.path("type").asString(""))
                    && !property.path("secret").asBoolean(false)) {
                String field = name.asString();
                return answersAlone(schema, field) ? Optional.of(field) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    private boolean answersAlone(JsonNode schema, String field) {
        return schemas.validate(schema, answer(field, true)).isEmpty()
                && schemas.validate(schema, answer(field, false)).isEmpty();
    }

    /** The answer a button gives: {@code {"<field>": approve}}. */
    public static ObjectNode answer(String field, boolean approve) {
        ObjectNode answer = Json.object();
        answer.put(field, approve);
        return answer;
    }

    /** The button's action id to the value it answers; empty for anything else (say the "Open in Attune" link). */
    public static Optional<Boolean> approves(String actionId) {
        return Optional.ofNullable(Map.of(APPROVE, true, REJECT, false).get(actionId));
    }
}
