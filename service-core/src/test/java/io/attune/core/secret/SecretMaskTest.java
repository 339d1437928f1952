package io.attune.core.secret;

import io.attune.core.inquiry.JsonSchemas;
import io.attune.model.json.Json;
import io.attune.model.rest.ApiError.ErrorDetail;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which parts of an answer a schema marks secret, and how they are hidden. Pure: no database, no broker. */
class SecretMaskTest {
    private static final String M = SecretMask.MASK;

    @Test
    void aSecretPropertyIsMaskedAndTheRestOfTheAnswerIsLeftAsItIs() {
        JsonNode schema = Json.tree("""
                {"type": "object", "properties": {
                   "approved": {"type": "boolean"},
                   "api_key": {"type": "string", "secret": true},
                   "pin": {"type": "integer", "secret": true}}}""");
        JsonNode answer = Json.tree("{\"approved\": true, \"api_key\": \"sk-live-123\", \"pin\": 4711}");

        assertThat(SecretMask.mask(schema, answer)).isEqualTo(Json.tree(
                "{\"approved\": true, \"api_key\": \"" + M + "\", \"pin\": \"" + M + "\"}"));
        assertThat(answer.get("api_key").asString()).as("the stored answer is not touched").isEqualTo("sk-live-123");
    }

    @Test
    void secretsAreFoundAtAnyDepthInObjectsAndArrayItems() {
        JsonNode schema = Json.tree("""
                {"type": "object", "properties": {
                   "target": {"type": "object", "properties": {
                      "host": {"type": "string"},
                      "credentials": {"type": "object", "properties": {
                         "user": {"type": "string"}, "password": {"type": "string", "secret": true}}}}},
                   "tokens": {"type": "array", "items": {"type": "string", "secret": true}},
                   "accounts": {"type": "array", "items": {"type": "object", "properties": {
                      "name": {"type": "string"}, "key": {"type": "string", "secret": true}}}},
                   "pair": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "string", "secret": true}]},
                   "vault": {"type": "object", "secret": true}}}""");
        JsonNode answer = Json.tree("""
                {"target": {"host": "db1", "credentials": {"user": "ops", "password": "p4ss"}},
                 "tokens": ["t1", "t2"],
                 "accounts": [{"name": "a", "key": "k1"}, {"name": "b", "key": "k2"}],
                 "pair": ["public", "private"],
                 "vault": {"root": "r00t", "nested": {"x": 1}}}""");

        assertThat(SecretMask.secretPointers(schema, answer)).containsExactly("/target/credentials/password",
                "/tokens/0", "/tokens/1", "/accounts/0/key", "/accounts/1/key", "/pair/1", "/vault");
        assertThat(SecretMask.mask(schema, answer)).isEqualTo(Json.tree("""
                {"target": {"host": "db1", "credentials": {"user": "ops", "password": "%1$s"}},
                 "tokens": ["%1$s", "%1$s"],
                 "accounts": [{"name": "a", "key": "%1$s"}, {"name": "b", "key": "%1$s"}],
                 "pair": ["public", "%1$s"],
                 "vault": "%1$s"}""".formatted(M)));
    }

    @Test
    void referencesWithinTheSchemaAreFollowed() {
        JsonNode schema = Json.tree("""
                {"type": "object",
                 "$defs": {"password": {"type": "string", "secret": true},
                           "login": {"type": "object", "properties": {"user": {"type": "string"},
                                                                       "password": {"$ref": "#/$defs/password"}}},
                           "anchored": {"$anchor": "token", "type": "string", "secret": true}},
                 "definitions": {"pin": {"type": "string", "secret": true}},
                 "properties": {
                   "primary": {"$ref": "#/$defs/login"},
                   "fallback": {"type": "array", "items": {"$ref": "#/$defs/login"}},
                   "token": {"$ref": "#token"},
                   "pin": {"$ref": "#/definitions/pin"}}}""");
        JsonNode answer = Json.tree("""
                {"primary": {"user": "ada", "password": "one"}, "fallback": [{"user": "bob", "password": "two"}],
                 "token": "three", "pin": "four"}""");

        assertThat(SecretMask.secretPointers(schema, answer)).containsExactlyInAnyOrder("/primary/password",
                "/fallback/0/password", "/token", "/pin");
    }

    @Test
    void aRecursiveSchemaIsWalkedAsDeepAsTheAnswerGoesAndASelfReferenceEnds() {
        JsonNode tree = Json.tree("""
                {"$ref": "#/$defs/node", "$defs": {"node": {"type": "object", "properties": {
                   "secret_label": {"type": "string", "secret": true},
                   "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}}}}}""");
        JsonNode answer = Json.tree("""
                {"secret_label": "a", "children": [{"secret_label": "b", "children": [{"secret_label": "c"}]}]}""");
        assertThat(SecretMask.secretPointers(tree, answer)).containsExactly("/secret_label",
                "/children/0/secret_label", "/children/0/children/0/secret_label");

        JsonNode loop = Json.tree("""
                {"allOf": [{"$ref": "#"}], "properties": {"p": {"secret": true}, "q": {"$ref": "#"}}}""");
        assertThat(SecretMask.secretPointers(loop, Json.tree("{\"p\": 1, \"q\": {\"p\": 2}}")))
                .containsExactly("/p", "/q/p");
    }

    @Test
    void everyBranchAndEveryMatchingPropertySchemaCounts() {
        JsonNode schema = Json.tree("""
                {"type": "object",
                 "anyOf": [{"properties": {"a": {"secret": true}}}, {"properties": {"b": {"type": "string"}}}],
                 "if": {"properties": {"mode": {"const": "key"}}},
                 "then": {"properties": {"key": {"secret": true}}},
                 "patternProperties": {"^pw_": {"type": "string", "secret": true}},
                 "properties": {"extra": {"type": "object", "additionalProperties": {"secret": true}}}}""");
        JsonNode answer = Json.tree("""
                {"a": "x", "b": "y", "mode": "other", "key": "k", "pw_db": "p", "pwdb": "q",
                 "extra": {"one": 1, "two": 2}}""");

        assertThat(SecretMask.secretPointers(schema, answer)).containsExactlyInAnyOrder("/a", "/key", "/pw_db",
                "/extra/one", "/extra/two");
    }

    @Test
    void aSecretRootHidesTheWholeAnswer() {
        JsonNode schema = Json.tree("{\"type\": \"object\", \"secret\": true}");
        assertThat(SecretMask.mask(schema, Json.tree("{\"a\": 1}"))).isEqualTo(Json.tree("\"" + M + "\""));
    }

    @Test
    void whenAReferenceCannotBeFollowedTheValueThereIsHidden() {
        JsonNode schema = Json.tree("""
                {"type": "object", "properties": {
                   "known": {"type": "string", "secret": true},
                   "elsewhere": {"$ref": "https://example.com/schemas/credentials.json"},
                   "plain": {"type": "string"}}}""");
        assertThat(SecretMask.mask(schema, Json.tree("{\"known\": \"k\", \"elsewhere\": {\"pw\": \"x\"}, "
                + "\"plain\": \"p\"}"))).isEqualTo(Json.tree(("{\"known\": \"%1$s\", \"elsewhere\": \"%1$s\", "
                + "\"plain\": \"p\"}").formatted(M)));

        JsonNode noSecrets = Json.tree("{\"properties\": {\"elsewhere\": {\"$ref\": \"other.json\"}}}");
        JsonNode answer = Json.tree("{\"elsewhere\": 1}");
        assertThat(SecretMask.mask(noSecrets, answer)).as("no secrets, nothing to guess").isSameAs(answer);
    }

    @Test
    void withoutSecretsTheAnswerItselfIsReturned() {
        JsonNode schema = Json.tree("""
                {"type": "object", "properties": {"secret": {"type": "string"}, "approved": {"type": "boolean"}}}""");
        JsonNode answer = Json.tree("{\"secret\": \"a property that is merely called secret\", \"approved\": true}");
        assertThat(SecretMask.hasSecrets(schema)).isFalse();
        assertThat(SecretMask.mask(schema, answer)).isSameAs(answer);
        assertThat(SecretMask.mask(null, answer)).isSameAs(answer);
        assertThat(SecretMask.mask(Json.tree("{\"properties\": {\"x\": {\"secret\": false}}}"), answer))
                .isSameAs(answer);
    }

    @Test
    void validationErrorsNeitherNameNorQuoteASecret() {
        JsonNode schema = Json.tree("""
                {"type": "object", "properties": {
                   "approved": {"type": "boolean"},
                   "password": {"type": "string", "secret": true, "minLength": 20},
                   "credentials": {"type": "object", "secret": true, "additionalProperties": {"type": "integer"}}}}""");
        JsonNode answer = Json.tree("""
                {"approved": "yes", "password": "hunter2", "credentials": {"Zebra-Key-991": "not a number"}}""");
        List<ErrorDetail> raw = new JsonSchemas().validate(schema, answer);
        assertThat(raw).extracting(ErrorDetail::path).as("networknt names the secret key in the path")
                .contains("/credentials/Zebra-Key-991");

        List<ErrorDetail> masked = SecretMask.maskDetails(schema, answer, raw);
        assertThat(masked).extracting(ErrorDetail::path)
                .containsExactlyInAnyOrder("/approved", "/password", "/credentials");
        assertThat(masked.toString()).doesNotContain("hunter2", "Zebra-Key-991");

        List<ErrorDetail> quoting = List.of(new ErrorDetail("", "'hunter2' and Zebra-Key-991 are wrong"));
        assertThat(SecretMask.maskDetails(schema, answer, quoting)).containsExactly(
                new ErrorDetail("", "'" + M + "' and " + M + " are wrong"));
    }

    @Test
    void aSecretMarkingMustBeABoolean() {
        JsonNode schema = Json.tree("""
                {"type": "object", "properties": {
                   "secret": {"type": "string"},
                   "pw": {"type": "string", "secret": "yes"},
                   "list": {"type": "array", "items": {"secret": 1}},
                   "ok": {"secret": false}}}""");
        assertThat(SecretMask.problemsWith(schema)).extracting(ErrorDetail::path)
                .containsExactlyInAnyOrder("/properties/pw/secret", "/properties/list/items/secret");
    }
}
