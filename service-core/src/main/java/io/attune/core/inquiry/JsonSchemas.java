package io.attune.core.inquiry;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.dialect.DefaultDialectRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.AnnotationKeyword;
import com.networknt.schema.path.PathType;
import io.attune.model.rest.ApiError.ErrorDetail;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JSON Schema, by networknt: whether a schema is one (checked against its dialect's meta-schema when an inquiry is
 * created, so that approvers never meet a broken form), and whether a response satisfies it. Draft 2020-12 unless the
 * schema names another {@code $schema}; formats are asserted; nothing is ever fetched from the network.
 * Error paths are JSON pointers into the response ({@code /approved}).
 */
@Component
public class JsonSchemas {
    private static final int CACHE_LIMIT = 1_000;

    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder
                    .dialectRegistry(new DefaultDialectRegistry(secretAware(Dialects.getDraft4(), Dialects.getDraft6(),
                            Dialects.getDraft7(), Dialects.getDraft201909(), Dialects.getDraft202012())))
                    .schemaRegistryConfig(SchemaRegistryConfig.builder()
                            .pathType(PathType.JSON_POINTER)
                            .formatAssertionsEnabled(true)
                            .locale(Locale.ENGLISH)
                            .build())
                    .schemaLoader(loader -> loader.fetchRemoteResources(false)));
    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

    /** What is wrong with {@code schema} as a JSON Schema; empty when it is a valid one. */
    public List<ErrorDetail> problemsWith(JsonNode schema) {
        if (schema == null || !schema.isObject()) {
            return List.of(new ErrorDetail("", "a JSON Schema must be a JSON object"));
        }
        String dialect = schema.path("$schema").isString() ? schema.get("$schema").asString()
                : SpecificationVersion.DRAFT_2020_12.getDialectId();
        Schema metaSchema;
        try {
            metaSchema = registry.getSchema(SchemaLocation.of(dialect));
        } catch (RuntimeException e) {
            return List.of(new ErrorDetail("/$schema", "unknown JSON Schema dialect '" + dialect + "'"));
        }
        List<ErrorDetail> problems = details(metaSchema.validate(schema));
        if (problems.isEmpty()) {
            try {
                compile(schema).validate(schema.deepCopy());
            } catch (RuntimeException e) {
                problems = List.of(new ErrorDetail("", "not a usable JSON Schema: " + e.getMessage()));
            }
        }
        return problems;
    }

    /** Where and why {@code instance} fails {@code schema}; empty when it satisfies it. */
    public List<ErrorDetail> validate(JsonNode schema, JsonNode instance) {
        return details(compile(schema).validate(instance));
    }

    private Schema compile(JsonNode schema) {
        String key = schema.toString();
        Schema cached = compiled.get(key);
        if (cached == null) {
            cached = registry.getSchema(schema);
            if (compiled.size() >= CACHE_LIMIT) {
                compiled.clear();
            }
            compiled.put(key, cached);
        }
        return cached;
    }

    /** The dialects with {@code secret} (see SecretMask) as a known annotation, not an unknown keyword to warn of. */
    private static List<Dialect> secretAware(Dialect... dialects) {
        return Arrays.stream(dialects)
                .map(d -> Dialect.builder(d).keyword(new AnnotationKeyword("secret")).build())
                .toList();
    }

    private static List<ErrorDetail> details(List<Error> errors) {
        List<ErrorDetail> details = new ArrayList<>();
        for (Error error : errors) {
            String path = error.getInstanceLocation() == null ? "" : error.getInstanceLocation().toString();
            if ("required".equals(error.getKeyword()) && error.getProperty() != null) {
                path = path + "/" + error.getProperty();
            }
            details.add(new ErrorDetail(path, error.getMessage()));
        }
        return details;
    }
}
