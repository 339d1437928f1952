package io.attune.api.auth;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import io.attune.api.ApiClient.Response;
import io.attune.api.ApiIntegrationTest;
import io.attune.api.identity.AdminBootstrap;
import io.attune.core.identity.Identity;
import io.attune.core.identity.Role;
import io.attune.model.json.Json;
import io.attune.testsupport.AttuneTestEnvironment;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Login, and what happens to requests without a good token. */
class AuthenticationTest extends ApiIntegrationTest {
    @Autowired
    PasswordEncoder passwords;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        start(registry);
    }

    Identity withPassword(String password, Role... roles) {
        String login = "ada-" + System.nanoTime();
        return identities.create(login, "Ada Lovelace", passwords.encode(password),
                roles.length == 0 ? EnumSet.of(Role.USER) : EnumSet.of(roles[0], roles));
    }

    @Test
    void loginAnswersTheContractsShapeWithATokenThatWorks() {
        Identity ada = withPassword("correct horse battery");
        Response response = api().post("/auth/login", null,
                Json.write(Map.of("login", ada.login(), "password", "correct horse battery")));

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.propertyNames()).containsExactly("data");
        JsonNode data = body.get("data");
        assertThat(data.propertyNames()).containsExactlyInAnyOrder("access_token", "token_type", "expires_in", "user");
        assertThat(data.get("token_type").asString()).isEqualTo("Bearer");
        assertThat(data.get("expires_in").asLong()).isEqualTo(3600);
        assertThat(data.get("user").propertyNames()).containsExactlyInAnyOrder("id", "login", "display_name", "roles");
        assertThat(data.get("user").get("id").asLong()).isEqualTo(ada.id());
        assertThat(data.get("user").get("login").asString()).isEqualTo(ada.login());
        assertThat(data.get("user").get("display_name").asString()).isEqualTo("Ada Lovelace");
        assertThat(data.get("user").get("roles").toString()).isEqualTo("[\"user\"]");
        assertThat(response.body()).doesNotContain("password");

        String token = data.get("access_token").asString();
        JsonNode claims = Json.tree(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]),
                StandardCharsets.UTF_8));
        assertThat(claims.get("sub").asString()).isEqualTo(Long.toString(ada.id()));
        assertThat(Json.tree(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8))
                .get("alg").asString()).isEqualTo("HS256");
        assertThat(api().get("/api/v1/inquiries", token).status()).isEqualTo(200);
    }

    @Test
    void aStaleTokenSentAlongDoesNotGetInTheWayOfLoggingIn() {
        Identity ada = withPassword("correct horse battery");
        Instant issued = Instant.now().minus(Duration.ofHours(3));
        String expired = sign(claims(ada, issued, issued.plus(Duration.ofHours(1))), AttuneTestEnvironment.JWT_SECRET);
        Response response = api().post("/auth/login", expired,
                Json.write(Map.of("login", ada.login(), "password", "correct horse battery")));
        assertThat(response.status()).as("%s", response).isEqualTo(200);
    }

    @Test
    void aWrongPasswordAndAnUnknownLoginGetTheSameRefusal() {
        Identity ada = withPassword("correct horse battery");
        Response wrongPassword = api().post("/auth/login", null,
                Json.write(Map.of("login", ada.login(), "password", "incorrect horse")));
        Response unknownLogin = api().post("/auth/login", null,
                Json.write(Map.of("login", "nobody-" + System.nanoTime(), "password", "correct horse battery")));
        Response hugePassword = api().post("/auth/login", null,
                Json.write(Map.of("login", ada.login(), "password", "x".repeat(500))));
        Response oddLogin = api().post("/auth/login", null,
                Json.write(Map.of("login", "a\u0000b' OR 1=1 --", "password", "whatever")));

        JsonNode first = assertError(wrongPassword, 401, "UNAUTHORIZED");
        assertThat(assertError(unknownLogin, 401, "UNAUTHORIZED")).isEqualTo(first);
        assertThat(assertError(hugePassword, 401, "UNAUTHORIZED")).isEqualTo(first);
        assertThat(assertError(oddLogin, 401, "UNAUTHORIZED")).isEqualTo(first);
    }

    @Test
    void aLoginWithoutCredentialsIsABadRequest() {
        assertError(api().post("/auth/login", null, "{}"), 400, "BAD_REQUEST");
        assertError(api().post("/auth/login", null, "{\"login\": \"ada\""), 400, "BAD_REQUEST");
        assertError(api().post("/auth/login", null, "[1, 2]"), 400, "BAD_REQUEST");
    }

    @Test
    void theAdminIsCreatedOnFirstStartFromTheEnvironment() {
        String token = api().login("admin", ADMIN_PASSWORD);
        Identity admin = identities.findByLogin("admin").orElseThrow();
        assertThat(admin.roles()).containsExactly(Role.ADMIN);
        assertThat(admin.passwordHash()).startsWith("$2").doesNotContain(ADMIN_PASSWORD);
        assertThat(api().post("/api/v1/inquiries/1/cancel", token, "").code()).isEqualTo("NOT_FOUND");
    }

    @Test
    void anExistingAdminIsNeverOverwritten() {
        AdminBootstrap restart = new AdminBootstrap(identities, passwords, "a-different-password");
        assertThat(restart.createAdminIfAbsent()).isFalse();
        api().login("admin", ADMIN_PASSWORD);
    }

    @Test
    void replicasStartingTogetherCreateOneAdminAndNoneFails() throws Exception {
        jdbc.sql("DELETE FROM attune.identity WHERE login = 'admin'").update();
        ExecutorService replicas = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> created = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            AdminBootstrap replica = new AdminBootstrap(identities, passwords, ADMIN_PASSWORD);
            created.add(replicas.submit(() -> {
                go.await();
                return replica.createAdminIfAbsent();
            }));
        }
        go.countDown();
        int creators = 0;
        for (Future<Boolean> outcome : created) {
            creators += outcome.get() ? 1 : 0; // get() rethrows if a replica failed
        }
        replicas.shutdown();
        assertThat(creators).isEqualTo(1);
        assertThat(jdbc.sql("SELECT count(*) FROM attune.identity WHERE login = 'admin'").query(Long.class).single())
                .isEqualTo(1L);
        api().login("admin", ADMIN_PASSWORD);
    }

    @Test
    void requestsWithoutATokenAreRefusedWithTheContractsBody() {
        Response response = api().get("/api/v1/inquiries", null);
        assertError(response, 401, "UNAUTHORIZED");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertError(api().post("/api/v1/inquiries/1/respond", null, "{\"response\": {}}"), 401, "UNAUTHORIZED");
        assertError(api().post("/api/v1/executions", null, "{\"action_ref\": \"a.b\"}"), 401, "UNAUTHORIZED");
        assertError(api().get("/api/v1/executions/1", null), 401, "UNAUTHORIZED");
        assertError(api().post("/api/v1/identities", null, "{}"), 401, "UNAUTHORIZED");
        assertError(api().get("/api/v1/no-such-thing", null), 401, "UNAUTHORIZED");
    }

    @Test
    void forgedTokensAreRefused() {
        Identity ada = identity();
        Instant now = Instant.now();
        JwtClaimsSet claims = claims(ada, now, now.plusSeconds(3600));
        String forged = sign(claims, "another-secret-another-secret-another-secret!");
        String[] genuine = sign(claims, AttuneTestEnvironment.JWT_SECRET).split("\\.");
        String tampered = genuine[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"sub\":\"1\",\"login\":\"admin\",\"roles\":[\"admin\"],\"exp\":" + (now.getEpochSecond() + 3600)
                        + "}").getBytes(StandardCharsets.UTF_8)) + "." + genuine[2];
        String unsigned = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "." + genuine[1] + ".";

        for (String token : List.of(forged, tampered, unsigned, "not-a-token", "a.b.c")) {
            Response response = api().get("/api/v1/inquiries", token);
            assertError(response, 401, "UNAUTHORIZED");
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    value -> assertThat(value).contains("invalid_token"));
        }
        assertThat(api().get("/api/v1/inquiries", sign(claims, AttuneTestEnvironment.JWT_SECRET)).status())
                .isEqualTo(200);
    }

    @Test
    void expiredTokensAreRefused() {
        Identity ada = identity();
        Instant issued = Instant.now().minus(Duration.ofHours(3));
        String expired = sign(claims(ada, issued, issued.plus(Duration.ofHours(1))), AttuneTestEnvironment.JWT_SECRET);
        assertError(api().get("/api/v1/inquiries", expired), 401, "UNAUTHORIZED");
    }

    @Test
    void aSignedTokenThatNamesNoIdentityIsRefused() {
        Instant now = Instant.now();
        JwtClaimsSet claims = JwtClaimsSet.builder().issuer("attune").subject("not-a-number").issuedAt(now)
                .expiresAt(now.plusSeconds(600)).claim("login", "ghost").claim("roles", List.of("admin")).build();
        assertError(api().get("/api/v1/inquiries", sign(claims, AttuneTestEnvironment.JWT_SECRET)), 401,
                "UNAUTHORIZED");
    }

    static JwtClaimsSet claims(Identity identity, Instant issuedAt, Instant expiresAt) {
        return JwtClaimsSet.builder().issuer("attune").id(java.util.UUID.randomUUID().toString())
                .subject(Long.toString(identity.id())).issuedAt(issuedAt)
                .expiresAt(expiresAt).claim("login", identity.login()).claim("roles", identity.roleNames()).build();
    }

    static String sign(JwtClaimsSet claims, String secret) {
        NimbusJwtEncoder encoder = new NimbusJwtEncoder(new ImmutableSecret<>(
                new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256")));
        return encoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims))
                .getTokenValue();
    }
}
