package io.attune.core;

import io.attune.model.json.Json;
import tools.jackson.databind.JsonNode;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Reading and writing the jsonb and timestamptz columns of the attune schema. */
public final class JsonColumns {
    private JsonColumns() {
    }

    public static JsonNode json(ResultSet rs, String column) throws SQLException {
        String text = rs.getString(column);
        return text == null ? null : Json.tree(text);
    }

    public static String text(JsonNode node) {
        return node == null || node.isNull() ? null : Json.write(node);
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    public static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
