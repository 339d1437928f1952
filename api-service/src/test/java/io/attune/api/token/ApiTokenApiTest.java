package io.attune.api.token;

import io.attune.api.ApiClient.Response;
import io.attune.api.ApiIntegrationTest;
import io.attune.core.identity.Identity;
import io.attune.core.identity.Role;
import io.attune.model.json.Json;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** API tokens for machines: made by an admin, shown once, kept hashed, used as Bearer, listed with last use, revoked. */
class ApiTokenApiTest extends ApiIntegrationTest {

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        start(registry);
    }

    @Test
    void anAdminMakesATokenThatWorksIsListedWithItsLastUseAndStopsWhenRevoked() {
        String admin = token(admin());
        Identity ci = identity(Role.USER);
        Response created = api().post("/api/v1/tokens", admin,
                Json.write(Map.of("name", "github-actions deploy", "identity_id", ci.id())));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        JsonNode data = created.data();
        String token = data.get("token").asString();
        long id = data.get("id").asLong();
        assertThat(token).startsWith("attune_").hasSize("attune_".length() + 43);
        assertThat(data.get("prefix").asString()).isEqualTo(token.substring(0, 11));
        assertThat(data.get("last_used_at").isNull()).isTrue();
        // kept hashed: the token is nowhere in the database
        assertThat(jdbc.sql("SELECT count(*) FROM attune.api_token WHERE token_sha256 = ? OR name = ?")
                .params(token, token).query(Long.class).single()).isZero();

        Response me = api().get("/api/v1/me", token);
        assertThat(me.status()).as("%s", me).isEqualTo(200);
        assertThat(me.data().get("id").asLong()).isEqualTo(ci.id());
        JsonNode listed = api().get("/api/v1/tokens", admin).data();
        JsonNode row = find(listed, id);
        assertThat(row.get("name").asString()).isEqualTo("github-actions deploy");
        assertThat(row.get("identity_login").asString()).isEqualTo(ci.login());
        assertThat(Instant.parse(row.get("last_used_at").asString())).isAfter(Instant.now().minusSeconds(30));
        assertThat(api().get("/api/v1/tokens", admin).body()).doesNotContain(token);

        Response revoked = api().send(api().request("/api/v1/tokens/" + id, admin).DELETE().build());
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.data().get("revoked_at").isNull()).isFalse();
        assertError(api().get("/api/v1/me", token), 401, "UNAUTHORIZED");
        assertThat(api().send(api().request("/api/v1/tokens/" + id, admin).DELETE().build()).status()).isEqualTo(200);

        List<String> audit = jdbc.sql("SELECT action::text FROM attune.inquiry_audit WHERE entity_type = 'api_token' "
                + "AND entity_id = ? ORDER BY id").param(Long.toString(id)).query(String.class).list();
        assertThat(audit).containsExactly("created", "revoked");
        assertThat(jdbc.sql("SELECT count(*) FROM attune.inquiry_audit WHERE details::text LIKE ?")
                .param("%" + token + "%").query(Long.class).single()).isZero();
    }

    @Test
    void aTokenActsAsAUserOnlyAndOnlyAdminsManageTokens() {
        String admin = token(admin());
        Identity otherAdmin = identity(Role.ADMIN);
        String token = api().post("/api/v1/tokens", admin,
                Json.write(Map.of("name", "bot", "identity_id", otherAdmin.id()))).data().get("token").asString();
        assertThat(api().get("/api/v1/me", token).data().get("roles")).isEqualTo(Json.tree("[\"user\"]"));
        assertError(api().get("/api/v1/tokens", token), 403, "FORBIDDEN");
        assertError(api().get("/api/v1/identities", token), 403, "FORBIDDEN");
        assertError(api().get("/api/v1/tokens", token(identity(Role.USER))), 403, "FORBIDDEN");
        assertError(api().get("/api/v1/me", "attune_" + "x".repeat(43)), 401, "UNAUTHORIZED");
    }

    @Test
    void badRequestsAndLogoutWithAToken() {
        String admin = token(admin());
        assertError(api().post("/api/v1/tokens", admin, "{\"identity_id\": 1}"), 400, "BAD_REQUEST");
        assertError(api().post("/api/v1/tokens", admin, "{\"name\": \"x\", \"identity_id\": 99999}"), 422,
                "VALIDATION_ERROR");
        assertError(api().post("/api/v1/tokens", admin, Json.write(Map.of("name", "x", "identity_id", 1,
                "expires_at", "2020-01-01T00:00:00Z"))), 400, "BAD_REQUEST");
        assertError(api().send(api().request("/api/v1/tokens/424242", admin).DELETE().build()), 404, "NOT_FOUND");

        Identity ci = identity(Role.USER);
        String token = api().post("/api/v1/tokens", admin, Json.write(Map.of("name", "short-lived",
                "identity_id", ci.id(), "expires_at", Instant.now().plusSeconds(3600).toString())))
                .data().get("token").asString();
        assertThat(api().get("/api/v1/me", token).status()).isEqualTo(200);
        assertThat(api().post("/auth/logout", token, "").status()).isEqualTo(204);
        assertError(api().get("/api/v1/me", token), 401, "UNAUTHORIZED");
    }

    private static JsonNode find(JsonNode list, long id) {
        for (JsonNode row : list) {
            if (row.get("id").asLong() == id) {
                return row;
            }
        }
        throw new AssertionError("token " + id + " not listed: " + list);
    }
}
