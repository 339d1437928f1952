package io.attune.api.auth;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import io.attune.api.ApiClient.Response;
import io.attune.api.ApiIntegrationTest;
import io.attune.core.identity.Identity;
import io.attune.core.identity.Role;
import io.attune.core.security.TokenSettings;
import io.attune.testsupport.AttuneTestEnvironment;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import javax.crypto.spec.SecretKeySpec;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tokens are only as good as the database says they are now: disabled, deleted, logged out, demoted. */
class SessionsTest extends ApiIntegrationTest {

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        start(registry);
    }

    @Test
    void tokensCarryIssuerAndAUniqueId() {
        Identity ada = identity(Role.USER);
        JsonNode first = claims(token(ada));
        JsonNode second = claims(token(ada));
        assertThat(first.get("iss").asString()).isEqualTo("attune");
        assertThat(first.get("jti").asString()).isNotBlank().isNotEqualTo(second.get("jti").asString());
        assertThat(first.get("sub").asString()).isEqualTo(Long.toString(ada.id()));
    }

    @Test
    void aTokenOfAnotherIssuerOrWithoutAnIdIsRefused() {
        Identity ada = identity(Role.ADMIN);
        String foreign = mint(claims -> claims.issuer("someone-else").id(UUID.randomUUID().toString())
                .subject(Long.toString(ada.id())));
        String noId = mint(claims -> claims.issuer("attune").subject(Long.toString(ada.id())));
        assertError(api().get("/api/v1/inquiries", foreign), 401, "UNAUTHORIZED");
        assertError(api().get("/api/v1/inquiries", noId), 401, "UNAUTHORIZED");
    }

    @Test
    void logoutRevokesThePresentedTokenOnly() {
        Identity ada = identity(Role.USER);
        String revoked = token(ada);
        String other = token(ada);
        Response out = api().post("/auth/logout", revoked, "");
        assertThat(out.status()).as("%s", out).isEqualTo(204);
        assertError(api().get("/api/v1/inquiries", revoked), 401, "UNAUTHORIZED");
        assertError(api().post("/auth/logout", revoked, ""), 401, "UNAUTHORIZED");
        assertThat(api().get("/api/v1/inquiries", other).status()).isEqualTo(200);
        assertError(api().post("/auth/logout", null, ""), 401, "UNAUTHORIZED");
    }

    @Test
    void aDisabledIdentityCannotLogInAndItsTokensAreRefused() {
        String admin = token(admin());
        long id = api().post("/api/v1/identities", admin, "{\"login\": \"eve\", \"password\": \"eves-password\"}")
                .data().get("id").asLong();
        String token = api().login("eve", "eves-password");

        assertThat(patch("/api/v1/identities/" + id, admin, "{\"disabled\": true}").status()).isEqualTo(200);
        assertError(api().get("/api/v1/inquiries", token), 401, "UNAUTHORIZED");
        JsonNode refused = assertError(api().post("/auth/login", null,
                "{\"login\": \"eve\", \"password\": \"eves-password\"}"), 401, "UNAUTHORIZED");
        assertThat(refused.get("error").asString()).contains("disabled");
        // a wrong password says nothing about the identity
        assertThat(assertError(api().post("/auth/login", null, "{\"login\": \"eve\", \"password\": \"nope-nope\"}"),
                401, "UNAUTHORIZED").get("error").asString()).doesNotContain("disabled");

        patch("/api/v1/identities/" + id, admin, "{\"disabled\": false}");
        assertThat(api().get("/api/v1/inquiries", token).status()).isEqualTo(200);
    }

    @Test
    void rolesComeFromTheDatabaseNotTheToken() {
        Identity demoted = admin();
        String token = token(demoted);
        assertThat(api().get("/api/v1/identities", token).status()).isEqualTo(200);

        patch("/api/v1/identities/" + demoted.id(), token(admin()), "{\"roles\": [\"user\"]}");
        assertError(api().get("/api/v1/identities", token), 403, "FORBIDDEN");

        Identity promoted = identity(Role.USER);
        String userToken = token(promoted);
        patch("/api/v1/identities/" + promoted.id(), token(admin()), "{\"roles\": [\"admin\"]}");
        assertThat(api().get("/api/v1/identities", userToken).status()).isEqualTo(200);
    }

    @Test
    void aDeletedIdentitysTokenIsA401NotA500() {
        Identity gone = identity(Role.USER);
        String token = token(gone);
        jdbc.sql("DELETE FROM attune.identity WHERE id = ?").param(gone.id()).update();
        assertError(api().post("/api/v1/executions", token, "{\"action_ref\": \"examples.deploy_approval\"}"), 401,
                "UNAUTHORIZED");
    }

    @Test
    void executionsShowWhoRequestedThem() {
        Identity ada = identity(Role.USER);
        Response created = api().post("/api/v1/executions", token(ada), "{\"action_ref\": \"examples.deploy_approval\"}");
        assertThat(created.data().get("requested_by").asLong()).isEqualTo(ada.id());
        assertThat(api().get("/api/v1/executions/" + created.data().get("id").asLong(), token(ada)).data()
                .get("requested_by").asLong()).isEqualTo(ada.id());
    }

    @Test
    void theTokenLifetimeIsCappedAtADay() {
        String secret = AttuneTestEnvironment.JWT_SECRET;
        assertThat(new TokenSettings(secret, Duration.ofHours(24)).expiry()).isEqualTo(Duration.ofHours(24));
        assertThatThrownBy(() -> new TokenSettings(secret, Duration.ofHours(25)))
                .hasMessageContaining("ATTUNE_JWT_EXPIRY");
        assertThatThrownBy(() -> new TokenSettings(secret, Duration.ZERO)).hasMessageContaining("ATTUNE_JWT_EXPIRY");
    }

    @Test
    void healthWithoutATokenIsTheStatusAloneAndTheRestNeedsAnAdmin() {
        Response health = api().get("/actuator/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().propertyNames()).containsExactly("status");
        assertError(api().get("/actuator/health/db", null), 401, "UNAUTHORIZED");

        assertError(api().get("/actuator/prometheus", null), 401, "UNAUTHORIZED");
        assertError(api().get("/actuator/info", null), 401, "UNAUTHORIZED");
        assertError(api().get("/actuator", null), 401, "UNAUTHORIZED");
        assertError(api().get("/actuator/prometheus", token(identity(Role.USER))), 403, "FORBIDDEN");

        String admin = token(admin());
        assertThat(api().get("/actuator/health", admin).json().path("components").path("db").path("status")
                .asString()).isEqualTo("UP");
        Response metrics = api().get("/actuator/prometheus", admin);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("attune_outbox_published_total");
    }

    @Test
    void theUiAndSwaggerCarryAContentSecurityPolicyHeader() {
        String ui = api().get("/", null).headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(ui).contains("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'")
                .doesNotContain("unsafe");
        Response swagger = api().get("/swagger-ui/index.html", null);
        assertThat(swagger.status()).isEqualTo(200);
        assertThat(swagger.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("script-src 'self'", "frame-ancestors 'none'").doesNotContain("script-src 'self' 'unsafe");
    }

    private String mint(Consumer<JwtClaimsSet.Builder> claims) {
        JwtClaimsSet.Builder builder = JwtClaimsSet.builder().issuedAt(Instant.now())
                .expiresAt(Instant.now().plusSeconds(600));
        claims.accept(builder);
        NimbusJwtEncoder encoder = new NimbusJwtEncoder(new ImmutableSecret<>(new SecretKeySpec(
                AttuneTestEnvironment.JWT_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256")));
        return encoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), builder.build()))
                .getTokenValue();
    }

    private static JsonNode claims(String token) {
        return io.attune.model.json.Json.tree(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]),
                StandardCharsets.UTF_8));
    }

    private Response patch(String path, String token, String json) {
        return api().send(api().request(path, token).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)).build());
    }
}
