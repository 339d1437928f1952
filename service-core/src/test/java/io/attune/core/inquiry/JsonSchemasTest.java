package io.attune.core.inquiry;

import io.attune.model.json.Json;
import io.attune.model.rest.ApiError.ErrorDetail;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A response_schema is a program from an action's output: what cannot be evaluated safely is refused before it is
 * ever evaluated, and an evaluation never throws, whatever the schema or the answer.
 */
class JsonSchemasTest {
    final JsonSchemas schemas = new JsonSchemas();

    static Stream<Arguments> unsafeSchemas() {
        return Stream.of(
                Arguments.of("a $ref to itself", "{\"$ref\": \"#\"}", "", "leads back to '/'"),
                Arguments.of("recursion through if/then",
                        "{\"type\": \"object\", \"if\": {\"required\": [\"x\"]}, \"then\": {\"$ref\": \"#\"}}",
                        "/then", "leads back to '/'"),
                Arguments.of("recursion through allOf", "{\"allOf\": [{\"$ref\": \"#\"}]}", "/allOf/0",
                        "leads back to '/'"),
                Arguments.of("recursion through not and anyOf", "{\"not\": {\"anyOf\": [{\"$ref\": \"#\"}]}}",
                        "/not/anyOf/0", "leads back to '/'"),
                Arguments.of("a cycle of two definitions",
                        "{\"$defs\": {\"a\": {\"$ref\": \"#/$defs/b\"}, \"b\": {\"$ref\": \"#/$defs/a\"}},"
                                + " \"properties\": {\"x\": {\"$ref\": \"#/$defs/a\"}}}",
                        "/$defs/", "without descending into the answer"),
                Arguments.of("a cycle through an anchor",
                        "{\"$defs\": {\"a\": {\"$anchor\": \"top\", \"oneOf\": [{\"$ref\": \"#top\"}]}}}",
                        "/$defs/a/oneOf/0", "leads back to '/$defs/a'"),
                Arguments.of("a backreference", "{\"type\": \"string\", \"pattern\": \"(a+)\\\\1\"}", "/pattern",
                        "cannot run in linear time"),
                Arguments.of("a lookahead", "{\"type\": \"string\", \"pattern\": \"^(?=.*\\\\d).+$\"}", "/pattern",
                        "cannot run in linear time"),
                Arguments.of("a lookbehind in patternProperties",
                        "{\"patternProperties\": {\"(?<!x)y\": {\"type\": \"string\"}}}",
                        "/patternProperties/(?<!x)y", "cannot run in linear time"),
                Arguments.of("repetitions that expand to a million",
                        "{\"type\": \"string\", \"pattern\": \"(a{1000}){1000}\"}", "/pattern",
                        "expand to more than 10000"),
                Arguments.of("a $ref to nothing", "{\"$ref\": \"#/$defs/missing\"}", "/$ref", "points at nothing"),
                Arguments.of("a $ref to elsewhere", "{\"$ref\": \"https://example.com/schema.json\"}", "/$ref",
                        "does not resolve to a part of this schema"),
                Arguments.of("$dynamicRef", "{\"$dynamicRef\": \"#meta\"}", "/$dynamicRef", "not supported"),
                Arguments.of("an enum of 1001 values", "{\"enum\": " + numbers(1001) + "}", "/enum",
                        "enum has 1001 values; at most 1000"),
                Arguments.of("a schema nested 33 deep", nested(33), "", "nests 33 levels deep; at most 32"),
                Arguments.of("a schema over 64 KiB", "{\"description\": \"" + "x".repeat(64 * 1024) + "\"}", "",
                        "bytes; at most 65536"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unsafeSchemas")
    @Timeout(10)
    void aSchemaThatCannotBeEvaluatedSafelyIsRefused(String name, String schema, String path, String message) {
        List<ErrorDetail> problems = schemas.problemsWith(Json.tree(schema));

        assertThat(problems).isNotEmpty();
        assertThat(problems).anySatisfy(problem -> {
            assertThat(problem.path()).startsWith(path);
            assertThat(problem.message()).contains(message);
        });
    }

    static Stream<Arguments> safeSchemas() {
        return Stream.of(
                Arguments.of("recursion that descends into the answer",
                        "{\"type\": \"object\", \"properties\": {\"child\": {\"$ref\": \"#\"}}}"),
                Arguments.of("recursion through items and $defs",
                        "{\"$defs\": {\"node\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/$defs/node\"}}},"
                                + " \"$ref\": \"#/$defs/node\"}"),
                Arguments.of("a $ref to a definition used twice",
                        "{\"$defs\": {\"s\": {\"type\": \"string\"}}, \"allOf\": [{\"$ref\": \"#/$defs/s\"}],"
                                + " \"anyOf\": [{\"$ref\": \"#/$defs/s\"}]}"),
                Arguments.of("a pattern with nested quantifiers (linear on RE2J)",
                        "{\"type\": \"string\", \"pattern\": \"^(a+)+$\"}"),
                Arguments.of("an ECMA-262 unicode escape", "{\"type\": \"string\", \"pattern\": \"^\\\\u00e9+$\"}"),
                Arguments.of("an enum of 1000 values", "{\"enum\": " + numbers(1000) + "}"),
                Arguments.of("a schema nested 32 deep", nested(32)),
                Arguments.of("the seed's approval schema", "{\"type\": \"object\", \"properties\": {\"approved\":"
                        + " {\"type\": \"boolean\"}, \"comments\": {\"type\": \"string\"}}, \"required\": [\"approved\"]}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("safeSchemas")
    void aSchemaThatCanBeEvaluatedSafelyIsAccepted(String name, String schema) {
        assertThat(schemas.problemsWith(Json.tree(schema))).isEmpty();
    }

    @Test
    @Timeout(10)
    void aBacktrackingPatternRunsInLinearTime() {
        JsonNode schema = Json.tree("{\"type\": \"string\", \"pattern\": \"^(a+)+$\"}");
        // on a backtracking engine this answer takes longer than the age of the universe
        JsonNode answer = Json.mapper().getNodeFactory().stringNode("a".repeat(30_000) + "!");

        assertThat(schemas.validate(schema, answer)).singleElement()
                .satisfies(problem -> assertThat(problem.message()).contains("pattern"));
    }

    @Test
    @Timeout(10)
    void aSchemaAcceptedBeforeTheseChecksStillCannotTakeTheServiceDown() {
        // stored by an earlier version: evaluated under the depth limit, never a StackOverflowError
        JsonNode schema = Json.tree("{\"type\": \"object\", \"if\": {\"required\": [\"x\"]}, \"then\": {\"$ref\": \"#\"}}");

        List<ErrorDetail> problems = schemas.validate(schema, Json.tree("{\"x\": 1}"));

        assertThat(problems).singleElement().satisfies(problem ->
                assertThat(problem.message()).contains("could not be checked within the evaluation limits"));
        assertThat(schemas.validate(schema, Json.tree("{}"))).isEmpty();
    }

    @Test
    void anAnswerNestedBeyondTheEvaluationLimitIsAProblemOfTheAnswer() {
        JsonNode schema = Json.tree("{\"type\": \"object\", \"properties\": {\"c\": {\"$ref\": \"#\"}}}");
        String deep = "{\"c\":".repeat(400) + "{}" + "}".repeat(400);

        assertThat(schemas.validate(schema, Json.tree(deep))).singleElement().satisfies(problem ->
                assertThat(problem.message()).contains("512 nested evaluations"));
        String shallow = "{\"c\":".repeat(50) + "{}" + "}".repeat(50);
        assertThat(schemas.validate(schema, Json.tree(shallow))).isEmpty();
    }

    @Test
    void aRegexFormatAnswerIsCompiledByTheLinearEngineToo() {
        JsonNode schema = Json.tree("{\"type\": \"string\", \"format\": \"regex\"}");

        assertThat(schemas.validate(schema, Json.mapper().getNodeFactory().stringNode("(".repeat(20_000))))
                .isNotEmpty();
        assertThat(schemas.validate(schema, Json.mapper().getNodeFactory().stringNode("^[a-z]+$"))).isEmpty();
    }

    @Test
    void theCompiledSchemaCacheIsBoundedByBytes() {
        String padding = "x".repeat(20_000);
        for (int i = 0; i < 300; i++) {
            JsonNode schema = Json.tree("{\"type\": \"string\", \"description\": \"" + i + padding + "\"}");
            assertThat(schemas.validate(schema, Json.mapper().getNodeFactory().stringNode("ok"))).isEmpty();
        }
        // 300 schemas of 20 kB weigh about 120 MB; the cache keeps at most its byte budget
        assertThat(schemas.cachedWeight()).isPositive().isLessThanOrEqualTo(JsonSchemas.CACHE_MAX_BYTES);
    }

    /** A schema is checked once and remembered; one that failed is checked again every time and fails every time. */
    @Test
    void aSchemaIsJudgedTheSameEveryTimeItIsAskedWith() {
        JsonNode good = Json.tree("{\"type\": \"object\", \"properties\": {\"approved\": {\"type\": \"boolean\"}}}");
        JsonNode bad = Json.tree("{\"type\": \"objekt\"}");
        for (int i = 0; i < 3; i++) {
            assertThat(schemas.problemsWith(good)).isEmpty();
            assertThat(schemas.problemsWith(bad)).isNotEmpty().extracting(ErrorDetail::path).containsOnly("/type");
        }
        assertThat(schemas.acceptedCount()).isEqualTo(1);
    }

    static String numbers(int count) {
        StringBuilder values = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            values.append(i == 0 ? "" : ",").append(i);
        }
        return values.append("]").toString();
    }

    /** A schema whose JSON nests {@code depth} levels: properties/p/properties/p/... */
    static String nested(int depth) {
        // {"properties": {"p": ...}} adds two levels; the innermost {} is one
        StringBuilder schema = new StringBuilder();
        int levels = 1;
        int opened = 0;
        while (levels + 2 <= depth) {
            schema.append("{\"properties\": {\"p\": ");
            levels += 2;
            opened++;
        }
        if (levels < depth) {
            schema.append("{\"items\": ");
            levels++;
            schema.append("{}").append("}");
        } else {
            schema.append("{}");
        }
        return schema + "}}".repeat(opened);
    }
}
