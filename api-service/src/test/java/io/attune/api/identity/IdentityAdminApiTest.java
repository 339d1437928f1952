package io.attune.api.identity;

import io.attune.api.ApiClient.Response;
import io.attune.api.ApiIntegrationTest;
import io.attune.core.identity.Identity;
import io.attune.core.identity.Role;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Identities and groups for admins, and /me for everyone. */
class IdentityAdminApiTest extends ApiIntegrationTest {

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        start(registry);
    }

    @Test
    void meIsTheCallerAsTheDatabaseHasThem() {
        Identity ada = identity(Role.USER);
        String token = token(ada);
        JsonNode me = api().get("/api/v1/me", token).data();
        assertThat(me.propertyNames()).containsExactlyInAnyOrder("id", "login", "display_name", "roles", "groups");
        assertThat(me.get("id").asLong()).isEqualTo(ada.id());
        assertThat(me.get("groups").toString()).isEqualTo("[]");

        String admin = token(admin());
        assertThat(api().post("/api/v1/groups", admin, "{\"name\": \"sre\", \"members\": [" + ada.id() + "]}").status())
                .isEqualTo(201);
        assertThat(api().get("/api/v1/me", token).data().get("groups").toString()).isEqualTo("[\"sre\"]");
        assertError(api().get("/api/v1/me", null), 401, "UNAUTHORIZED");
    }

    @Test
    void adminsListReadAndChangeIdentitiesNeverSeeingAHash() {
        String admin = token(admin());
        Identity bob = identity(Role.USER);

        Response list = api().get("/api/v1/identities?per_page=1000", admin);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().propertyNames()).containsExactlyInAnyOrder("data", "total", "page", "per_page", "pages");
        assertThat(list.json().get("per_page").asInt()).isEqualTo(100);
        assertThat(list.body()).doesNotContain("password", "not-a-bcrypt-hash");
        assertThat(api().get("/api/v1/identities/" + bob.id(), admin).data().get("login").asString())
                .isEqualTo(bob.login());
        assertError(api().get("/api/v1/identities/987654", admin), 404, "NOT_FOUND");

        api().post("/api/v1/groups", admin, "{\"name\": \"dba\"}");
        Response changed = patch("/api/v1/identities/" + bob.id(), admin, """
                {"display_name": "Bob B.", "roles": ["admin", "user"], "groups": ["dba"],
                 "attributes": {"email": "bob@example.com", "slack_user_id": "U123"}}""");
        assertThat(changed.status()).as("%s", changed).isEqualTo(200);
        assertThat(changed.data().get("display_name").asString()).isEqualTo("Bob B.");
        assertThat(changed.data().get("roles").toString()).isEqualTo("[\"admin\",\"user\"]");
        assertThat(changed.data().get("groups").toString()).isEqualTo("[\"dba\"]");
        assertThat(changed.data().get("attributes").get("email").asString()).isEqualTo("bob@example.com");
        // attributes merge; null removes one
        JsonNode merged = patch("/api/v1/identities/" + bob.id(), admin,
                "{\"attributes\": {\"email\": null, \"phone\": \"+1\"}}").data().get("attributes");
        assertThat(merged.propertyNames()).containsExactlyInAnyOrder("slack_user_id", "phone");

        Response password = patch("/api/v1/identities/" + bob.id(), admin, "{\"password\": \"new-password-1\"}");
        assertThat(password.status()).isEqualTo(200);
        assertThat(password.body()).doesNotContain("new-password-1", "$2");
        assertThat(api().login(bob.login(), "new-password-1")).isNotBlank();
    }

    @Test
    void badChangesAreRefusedAndChangeNothing() {
        String admin = token(admin());
        Identity carol = identity(Role.USER);
        String path = "/api/v1/identities/" + carol.id();

        JsonNode unknown = assertError(patch(path, admin, "{\"role\": \"admin\", \"disabled\": \"yes\"}"), 400,
                "BAD_REQUEST");
        assertThat(unknown.get("details").findValuesAsString("path")).containsExactlyInAnyOrder("/role", "/disabled");
        assertError(patch(path, admin, "{\"roles\": [\"root\"]}"), 400, "BAD_REQUEST");
        assertError(patch(path, admin, "{\"roles\": []}"), 400, "BAD_REQUEST");
        assertError(patch(path, admin, "{\"password\": \"short\"}"), 400, "BAD_REQUEST");
        assertError(patch(path, admin, "{\"attributes\": [1]}"), 400, "BAD_REQUEST");
        assertError(patch(path, admin, "[]"), 400, "BAD_REQUEST");
        assertError(patch(path, admin, "{\"groups\": [\"no-such-group\"]}"), 422, "VALIDATION_ERROR");
        assertError(patch("/api/v1/identities/987654", admin, "{\"disabled\": true}"), 404, "NOT_FOUND");
        assertThat(identities.findById(carol.id()).orElseThrow()).isEqualTo(carol);

        assertError(patch(path, token(identity(Role.USER)), "{\"roles\": [\"admin\"]}"), 403, "FORBIDDEN");
        assertError(api().get("/api/v1/identities", token(carol)), 403, "FORBIDDEN");
    }

    @Test
    void theLastEnabledAdminCannotBeDemotedOrDisabled() {
        jdbc.sql("UPDATE attune.identity SET disabled = true WHERE 'admin' = ANY(roles)").update();
        Identity last = admin();
        String token = token(last);
        assertError(patch("/api/v1/identities/" + last.id(), token, "{\"disabled\": true}"), 409, "CONFLICT");
        assertError(patch("/api/v1/identities/" + last.id(), token, "{\"roles\": [\"user\"]}"), 409, "CONFLICT");
        Identity second = admin();
        assertThat(patch("/api/v1/identities/" + last.id(), token(second), "{\"roles\": [\"user\"]}").status())
                .isEqualTo(200);
    }

    @Test
    void groupsAreCreatedReadChangedAndDeleted() {
        String admin = token(admin());
        Identity ann = identity(Role.USER);
        Identity ben = identity(Role.USER);

        Response created = api().post("/api/v1/groups", admin,
                "{\"name\": \"release-managers\", \"members\": [" + ann.id() + "]}");
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/api/v1/groups/release-managers"));
        assertThat(created.data().toString()).isEqualTo("{\"name\":\"release-managers\",\"members\":[" + ann.id() + "]}");
        assertError(api().post("/api/v1/groups", admin, "{\"name\": \"release-managers\"}"), 409, "CONFLICT");
        assertError(api().post("/api/v1/groups", admin, "{\"name\": \"has space\"}"), 400, "BAD_REQUEST");
        assertError(api().post("/api/v1/groups", admin, "{\"members\": []}"), 400, "BAD_REQUEST");
        assertError(api().post("/api/v1/groups", admin, "{\"name\": \"x\", \"members\": [987654]}"), 422,
                "VALIDATION_ERROR");
        assertError(api().get("/api/v1/groups/x", admin), 404, "NOT_FOUND");

        Response renamed = patch("/api/v1/groups/release-managers", admin,
                "{\"name\": \"releases\", \"members\": [" + ben.id() + ", " + ann.id() + "]}");
        assertThat(renamed.data().toString()).isEqualTo("{\"name\":\"releases\",\"members\":[" + ann.id() + ","
                + ben.id() + "]}");
        assertThat(identities.findById(ben.id()).orElseThrow().groups()).containsExactly("releases");
        Response list = api().get("/api/v1/groups?per_page=100", admin);
        assertThat(list.json().get("data").findValuesAsString("name")).contains("releases")
                .doesNotContain("release-managers").hasSize((int) list.json().get("total").asLong());

        assertThat(api().send(api().request("/api/v1/groups/releases", admin).DELETE().build()).status())
                .isEqualTo(204);
        assertError(api().get("/api/v1/groups/releases", admin), 404, "NOT_FOUND");
        assertThat(identities.findById(ben.id()).orElseThrow().groups()).isEmpty();
        assertError(api().get("/api/v1/groups", token(ann)), 403, "FORBIDDEN");
    }

    @Test
    void identityAndGroupChangesAreInTheAuditChainWithWhoMadeThemButNeverAPassword() {
        Identity admin = admin();
        String token = token(admin);
        Identity dan = identity(Role.USER);
        long before = lastAuditId(token);

        assertThat(api().post("/api/v1/groups", token, "{\"name\": \"audited\", \"members\": [" + dan.id() + "]}")
                .status()).isEqualTo(201);
        assertThat(patch("/api/v1/identities/" + dan.id(), token,
                "{\"disabled\": true, \"password\": \"secret-password-9\"}").status()).isEqualTo(200);
        assertThat(api().send(api().request("/api/v1/groups/audited", token).DELETE().build()).status())
                .isEqualTo(204);

        Response page = api().get("/api/v1/audit?per_page=100&after=" + before, token);
        assertThat(page.body()).doesNotContain("secret-password-9");
        List<String> entries = new ArrayList<>();
        for (JsonNode entry : page.json().get("data")) {
            assertThat(entry.get("actor_id").asLong()).isEqualTo(admin.id());
            entries.add(entry.get("entity_type").asString() + ":" + entry.get("entity_id").asString() + ":"
                    + entry.get("action").asString());
        }
        assertThat(entries).containsExactly("group:audited:created", "identity:" + dan.id() + ":updated",
                "group:audited:deleted");
        assertThat(api().get("/api/v1/audit/verify", token).data().get("valid").asBoolean()).isTrue();
    }

    private long lastAuditId(String token) {
        long after = 0;
        while (true) {
            JsonNode page = api().get("/api/v1/audit?per_page=100&after=" + after, token).json().get("data");
            if (page.isEmpty()) {
                return after;
            }
            after = page.get(page.size() - 1).get("id").asLong();
        }
    }

    private Response patch(String path, String token, String json) {
        return api().send(api().request(path, token).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)).build());
    }
}
