package io.attune.api.identity;

import io.attune.api.ApiClient.Response;
import io.attune.api.ApiIntegrationTest;
import io.attune.core.identity.Identity;
import io.attune.core.identity.Role;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class IdentityApiTest extends ApiIntegrationTest {

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        start(registry);
    }

    @Test
    void anAdminCreatesAnIdentityThatCanThenLogIn() {
        String admin = token(admin());
        Response created = api().post("/api/v1/identities", admin, """
                {"login": "grace.hopper@navy", "password": "cobol-1959", "display_name": "Grace Hopper",
                 "roles": ["admin", "user"]}""");

        assertThat(created.status()).as("%s", created).isEqualTo(201);
        JsonNode data = created.data();
        assertThat(data.propertyNames()).containsExactlyInAnyOrder("id", "login", "display_name", "roles", "groups",
                "disabled", "attributes", "created", "updated");
        assertThat(data.get("login").asString()).isEqualTo("grace.hopper@navy");
        assertThat(data.get("display_name").asString()).isEqualTo("Grace Hopper");
        assertThat(data.get("roles").toString()).isEqualTo("[\"admin\",\"user\"]");
        assertThat(created.body()).doesNotContain("cobol-1959", "password", "$2");

        Identity stored = identities.findByLogin("grace.hopper@navy").orElseThrow();
        assertThat(stored.passwordHash()).startsWith("$2").doesNotContain("cobol-1959");
        String token = api().login("grace.hopper@navy", "cobol-1959");
        assertThat(api().get("/api/v1/inquiries", token).status()).isEqualTo(200);
    }

    @Test
    void rolesDefaultToUserAndDisplayNameToTheLogin() {
        Response created = api().post("/api/v1/identities", token(admin()),
                "{\"login\": \"linus\", \"password\": \"penguins!\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.data().get("roles").toString()).isEqualTo("[\"user\"]");
        assertThat(created.data().get("display_name").asString()).isEqualTo("linus");
        assertThat(identities.findByLogin("linus").orElseThrow().roles()).containsExactly(Role.USER);
    }

    @Test
    void onlyAdminsCreateIdentities() {
        Response refused = api().post("/api/v1/identities", token(identity(Role.USER)),
                "{\"login\": \"mallory\", \"password\": \"sneaky-sneaky\", \"roles\": [\"admin\"]}");
        assertError(refused, 403, "FORBIDDEN");
        assertThat(identities.findByLogin("mallory")).isEmpty();
        // refused before the body is even looked at
        assertError(api().post("/api/v1/identities", token(identity(Role.USER)), "{not json"), 403, "FORBIDDEN");
    }

    @Test
    void invalidFieldsAreEachNamed() {
        Response refused = api().post("/api/v1/identities", token(admin()),
                "{\"login\": \"bad login!\", \"password\": \"short\", \"roles\": [\"user\", \"root\"]}");
        JsonNode body = assertError(refused, 400, "BAD_REQUEST");
        assertThat(body.get("details").findValuesAsString("path")).containsExactly("/login", "/password", "/roles/1");

        JsonNode missing = assertError(api().post("/api/v1/identities", token(admin()), "{}"), 400, "BAD_REQUEST");
        assertThat(missing.get("details").findValuesAsString("path")).containsExactly("/login", "/password");

        assertError(api().post("/api/v1/identities", token(admin()),
                "{\"login\": \"" + "x".repeat(65) + "\", \"password\": \"long-enough\"}"), 400, "BAD_REQUEST");
        assertError(api().post("/api/v1/identities", token(admin()),
                "{\"login\": \"bytes\", \"password\": \"" + "é".repeat(40) + "\"}"), 400, "BAD_REQUEST");
        assertError(api().post("/api/v1/identities", token(admin()),
                "{\"login\": \"shape\", \"password\": \"long-enough\", \"roles\": \"admin\"}"), 400, "BAD_REQUEST");
        assertThat(identities.findByLogin("bytes")).isEmpty();
    }

    @Test
    void aTakenLoginIsAConflict() {
        String admin = token(admin());
        assertThat(api().post("/api/v1/identities", admin, "{\"login\": \"twin\", \"password\": \"first-twin\"}")
                .status()).isEqualTo(201);
        assertError(api().post("/api/v1/identities", admin, "{\"login\": \"twin\", \"password\": \"second-twin\"}"),
                409, "CONFLICT");
        api().login("twin", "first-twin");
    }
}
