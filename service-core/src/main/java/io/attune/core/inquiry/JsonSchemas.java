package io.attune.core.inquiry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.networknt.schema.Error;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.dialect.DefaultDialectRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.AnnotationKeyword;
import com.networknt.schema.ValidationLimitExceededException;
import com.networknt.schema.path.PathType;
import io.attune.core.schema.LinearPatterns;
import io.attune.model.rest.ApiError.ErrorDetail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * JSON Schema, by networknt: whether a schema is one (checked against its dialect's meta-schema when an inquiry is
 * created, so that approvers never meet a broken form) and can be evaluated safely ({@link SchemaSafety}), and
 * whether a response satisfies it. Draft 2020-12 unless the schema names another {@code $schema}; formats are
 * asserted; nothing is ever fetched from the network; regular expressions run on a linear-time engine
 * ({@link LinearPatterns}). Every evaluation runs under networknt's depth and step limits and is guarded: whatever a
 * schema or an answer holds, the caller gets a list of problems, never an exception or an {@code Error}.
 * Error paths are JSON pointers into the response ({@code /approved}).
 */
@Component
public class JsonSchemas {
    private static final Logger log = LoggerFactory.getLogger(JsonSchemas.class);
    /**
     * The compiled-schema cache holds at most this many bytes, by weight: each entry weighs {@link #WEIGHT_PER_CHAR}
     * bytes per character of its schema text — the text (the key), its JSON tree and networknt's compiled
     * validators together, measured at about 18 bytes a character on a 60-field form schema (2026-12-03). The
     * count of entries does not matter: a thousand small schemas fit, a thousand of 64 KiB do not.
     */
    static final long CACHE_MAX_BYTES = 32L * 1024 * 1024;
    static final int WEIGHT_PER_CHAR = 20;

    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder
                    .dialectRegistry(new DefaultDialectRegistry(secretAware(Dialects.getDraft4(), Dialects.getDraft6(),
                            Dialects.getDraft7(), Dialects.getDraft201909(), Dialects.getDraft202012())))
                    .schemaRegistryConfig(SchemaRegistryConfig.builder()
                            .pathType(PathType.JSON_POINTER)
                            .formatAssertionsEnabled(true)
                            .regularExpressionFactory(LinearPatterns.INSTANCE)
                            .locale(Locale.ENGLISH)
                            .build())
                    .schemaLoader(loader -> loader.fetchRemoteResources(false)));
    private final Cache<String, Schema> compiled = Caffeine.newBuilder()
            .maximumWeight(CACHE_MAX_BYTES)
            .weigher((String text, Schema schema) -> (int) Math.min(Integer.MAX_VALUE,
                    (long) text.length() * WEIGHT_PER_CHAR))
            .build();

    /**
     * The texts of schemas {@link #problemsWith} found nothing wrong with: an action asks with the same schema every
     * time, and checking it against its dialect's meta-schema took more of the executor's time than storing the
     * inquiry. The verdict depends on the text alone. Weighed by text, as {@link #compiled} is.
     */
    private final Cache<String, Boolean> accepted = Caffeine.newBuilder()
            .maximumWeight(CACHE_MAX_BYTES / 8)
            .weigher((String text, Boolean ok) -> (int) Math.min(Integer.MAX_VALUE, 2L * text.length() + 64))
            .build();

    /** What is wrong with {@code schema} as a JSON Schema, or why it cannot be evaluated safely; empty when neither. */
    public List<ErrorDetail> problemsWith(JsonNode schema) {
        if (schema == null || !schema.isObject()) {
            return List.of(new ErrorDetail("", "a JSON Schema must be a JSON object"));
        }
        String text = schema.toString();
        if (accepted.getIfPresent(text) != null) {
            return List.of();
        }
        List<ErrorDetail> problems = checked(schema);
        if (problems.isEmpty()) {
            accepted.put(text, Boolean.TRUE);
        }
        return problems;
    }

    private List<ErrorDetail> checked(JsonNode schema) {
        List<ErrorDetail> unsafe = SchemaSafety.problemsWith(schema);
        if (!unsafe.isEmpty()) {
            return unsafe;
        }
        String dialect = schema.path("$schema").isString() ? schema.get("$schema").asString()
                : SpecificationVersion.DRAFT_2020_12.getDialectId();
        Schema metaSchema;
        try {
            metaSchema = registry.getSchema(SchemaLocation.of(dialect));
        } catch (RuntimeException e) {
            return List.of(new ErrorDetail("/$schema", "unknown JSON Schema dialect '" + dialect + "'"));
        }
        List<ErrorDetail> problems = guarded(metaSchema, schema, "the schema could not be checked");
        if (problems.isEmpty()) {
            try {
                compile(schema);
            } catch (RuntimeException | StackOverflowError e) {
                problems = List.of(new ErrorDetail("", "not a usable JSON Schema: " + describe(e)));
            }
        }
        return problems;
    }

    /**
     * Where and why {@code instance} fails {@code schema}; empty when it satisfies it. An answer that cannot be
     * checked within the limits fails with that reason.
     */
    public List<ErrorDetail> validate(JsonNode schema, JsonNode instance) {
        Schema compiledSchema;
        try {
            compiledSchema = compile(schema);
        } catch (RuntimeException | StackOverflowError e) {
            return List.of(new ErrorDetail("", "the inquiry's response_schema cannot be evaluated: " + describe(e)));
        }
        return guarded(compiledSchema, instance, "the response could not be checked");
    }

    /** Evaluates under the limits; a limit reached, or anything thrown, is a problem of the evaluated value. */
    private static List<ErrorDetail> guarded(Schema schema, JsonNode instance, String what) {
        try {
            return details(schema.validate(instance, LIMITS));
        } catch (ValidationLimitExceededException e) {
            String where = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString();
            return List.of(new ErrorDetail(where, what + " within the evaluation limits ("
                    + (e.getLimitKind() == ValidationLimitExceededException.LimitKind.EVALUATION_DEPTH
                    ? InquiryLimits.EVALUATION_MAX_DEPTH + " nested evaluations"
                    : InquiryLimits.EVALUATION_MAX_STEPS + " evaluation steps") + ")"));
        } catch (RuntimeException | StackOverflowError e) {
            log.warn("Schema evaluation failed: {}", e.toString());
            return List.of(new ErrorDetail("", what + ": " + describe(e)));
        }
    }

    private static final Consumer<ExecutionContext> LIMITS = context -> context.executionConfig(config -> config
            .maxEvaluationDepth(InquiryLimits.EVALUATION_MAX_DEPTH)
            .maxEvaluationSteps(InquiryLimits.EVALUATION_MAX_STEPS));

    private Schema compile(JsonNode schema) {
        return compiled.get(schema.toString(), text -> registry.getSchema(schema));
    }

    /** How many schema texts are remembered as accepted (for tests). */
    long acceptedCount() {
        accepted.cleanUp();
        return accepted.estimatedSize();
    }

    /** The compiled-schema cache's weight now, in bytes (for tests and metrics). */
    long cachedWeight() {
        compiled.cleanUp();
        return compiled.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }

    private static String describe(Throwable e) {
        if (e instanceof StackOverflowError) {
            return "it recurses without end";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
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
