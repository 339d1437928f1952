package io.attune.core.persistence;

import org.hibernate.type.format.AbstractJsonFormatMapper;
import tools.jackson.databind.json.JsonMapper;

import java.lang.reflect.Type;

/**
 * Hibernate's JSON columns ({@code jsonb}) read and written with the suite's Jackson 3 mapper. Hibernate 7.2 only
 * finds Jackson 2 (or JSON-B) on its own, and the suite has neither: without this it refuses to map a JSON column.
 */
public final class Jackson3JsonFormatMapper extends AbstractJsonFormatMapper {
    private final JsonMapper mapper;

    public Jackson3JsonFormatMapper(JsonMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    protected <T> T fromString(CharSequence json, Type type) {
        return mapper.readValue(json.toString(), mapper.constructType(type));
    }

    @Override
    protected <T> String toString(T value, Type type) {
        return mapper.writerFor(mapper.constructType(type)).writeValueAsString(value);
    }
}
