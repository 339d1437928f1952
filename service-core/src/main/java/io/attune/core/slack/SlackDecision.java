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
 * the first property of the schema's {@code required} list that is a top-level {@code "type": "boolean"} — and only
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

    /** The decision field's name, when buttons can answer this schema. */
    public Optional<String> field(JsonNode schema) {
        if (schema == null || !schema.path("properties").isObject()) {
            return Optional.empty();
        }
        for (JsonNode name : schema.path("required")) {
            JsonNode property = schema.get("properties").get(name.asString());
            if (property != null && "boolean".equals(property.path("type").asString(""))
                    && !property.path("secret").asBoolean(false)) {
                String field = name.asString();
                if (schemas.validate(schema, answer(field, true)).isEmpty()
                        && schemas.validate(schema, answer(field, false)).isEmpty()) {
                    return Optional.of(field);
                }
                return Optional.empty();
            }
        }
        return Optional.empty();
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
