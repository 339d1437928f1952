package io.attune.workflow.definition;

import com.google.protobuf.ByteString;
import com.google.common.primitives.UnsignedLong;
import dev.cel.common.values.NullValue;
import io.attune.model.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON to the values CEL evaluates over, and CEL's results back to JSON. */
final class CelValues {
    private CelValues() {
    }

    static Object fromJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return NullValue.NULL_VALUE;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                map.put(field.getKey(), fromJson(field.getValue()));
            }
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(item -> list.add(fromJson(item)));
            return list;
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        return node.asString();
    }

    static JsonNode toJson(Object value) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (value == null || value instanceof NullValue || value instanceof com.google.protobuf.NullValue) {
            return nodes.nullNode();
        }
        if (value instanceof Boolean b) {
            return nodes.booleanNode(b);
        }
        if (value instanceof Long l) {
            return nodes.numberNode(l);
        }
        if (value instanceof UnsignedLong u) {
            return nodes.numberNode(u.bigIntegerValue());
        }
        if (value instanceof Double d) {
            return nodes.numberNode(d);
        }
        if (value instanceof Number n) {
            return nodes.numberNode(n.doubleValue());
        }
        if (value instanceof String s) {
            return nodes.stringNode(s);
        }
        if (value instanceof ByteString bytes) {
            return nodes.stringNode(Base64.getEncoder().encodeToString(bytes.toByteArray()));
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = Json.object();
            map.forEach((k, v) -> object.set(String.valueOf(k), toJson(v)));
            return object;
        }
        if (value instanceof Iterable<?> list) {
            ArrayNode array = nodes.arrayNode();
            list.forEach(item -> array.add(toJson(item)));
            return array;
        }
        return nodes.stringNode(String.valueOf(value));
    }
}
