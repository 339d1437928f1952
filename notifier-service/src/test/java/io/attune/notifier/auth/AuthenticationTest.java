package io.attune.notifier.auth;

import io.attune.core.identity.Identity;
import io.attune.core.identity.Role;
import io.attune.model.ws.ClientMessage;
import io.attune.model.ws.SubscriptionFilters;
import io.attune.notifier.NotifierIntegrationTest;
import io.attune.notifier.WsClient;
import io.attune.notifier.session.CloseCodes;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

import javax.crypto.spec.SecretKeySpec;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The token is checked at the upgrade, in either of the contract's two ways, and the socket ends with it. */
class AuthenticationTest extends NotifierIntegrationTest {

    @Test
    void aBearerTokenOpensTheSocket() {
        try (WsClient client = WsClient.connect(ws(), token(identity(Role.USER)))) {
            assertThat(client.subprotocol()).isEmpty();
            client.subscribe(SubscriptionFilters.NONE, null);
        }
    }

    @Test
    void browsersPassTheTokenAsASubprotocolAndGetAttuneV1Selected() {
        String token = token(identity(Role.USER));
        try (WsClient client = WsClient.connect(ws(), b -> b.subprotocols("attune.v1", "attune.jwt." + token))) {
            assertThat(client.subprotocol()).isEqualTo("attune.v1");
            client.subscribe(SubscriptionFilters.NONE, null);
            client.send(ClientMessage.ping());
            assertThat(client.next().get("type").asString()).isEqualTo("pong");
        }
    }

    @Test
    void noTokenOrABadOneIsRefusedAt401() {
        Identity ada = identity(Role.USER);
        assertThat(WsClient.refusal(ws(), b -> { })).isEqualTo(401);
        assertThat(WsClient.refusal(ws(), b -> b.header("Authorization", "Bearer not-a-jwt"))).isEqualTo(401);
        assertThat(WsClient.refusal(ws(), b -> b.header("Authorization", "Basic YWRhOnNlY3JldA=="))).isEqualTo(401);
        assertThat(WsClient.refusal(ws(), b -> b.header("Authorization", "Bearer " + signedByAnotherSecret(ada))))
                .isEqualTo(401);
        String expired = tokenExpiringAt(ada, Instant.now().minus(Duration.ofMinutes(5)));
        assertThat(WsClient.refusal(ws(), b -> b.header("Authorization", "Bearer " + expired))).isEqualTo(401);
        assertThat(WsClient.refusal(ws(), b -> b.subprotocols("attune.v1", "attune.jwt." + expired))).isEqualTo(401);
        assertThat(WsClient.refusal(ws(), b -> b.subprotocols("attune.v1"))).isEqualTo(401);
        assertThat(WsClient.refusal(ws(), b -> b.subprotocols("attune.v1", "attune.jwt.garbage"))).isEqualTo(401);
    }

    @Test
    void aTokenSubprotocolWithoutAttuneV1IsABadRequest() {
        String token = token(identity(Role.USER));
        assertThat(WsClient.refusal(ws(), b -> b.subprotocols("attune.jwt." + token))).isEqualTo(400);
    }

    @Test
    void theRefusalSaysWhyInTheContractsErrorShape() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\nAuthorization: Bearer nope\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStreamReader in = new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8);
            StringBuilder response = new StringBuilder();
            int c;
            while (response.indexOf("}") < 0 && (c = in.read()) != -1) { // the body is one JSON object
                response.append((char) c);
            }
            assertThat(response.toString()).startsWith("HTTP/1.1 401");
            assertThat(response.toString()).containsIgnoringCase("WWW-Authenticate: Bearer")
                    .contains("\"code\":\"UNAUTHORIZED\"").contains("\"error\":\"the token is invalid or has expired\"");
        }
    }

    @Test
    void theSocketIsClosedWhenItsTokenExpires() {
        Identity ada = identity(Role.USER);
        String shortLived = tokenExpiringAt(ada, Instant.now().plusSeconds(3));
        try (WsClient client = WsClient.connect(ws(), shortLived)) {
            client.subscribe(SubscriptionFilters.NONE, null);
            WsClient.Closed closed = client.awaitClose(Duration.ofSeconds(20));
            assertThat(closed.code()).isEqualTo(CloseCodes.TOKEN_EXPIRED);
            assertThat(closed.reason()).isEqualTo("token expired");
        }
    }

    private static String signedByAnotherSecret(Identity identity) {
        byte[] secret = "another-secret-another-secret-0123456789".getBytes(StandardCharsets.UTF_8);
        NimbusJwtEncoder encoder = new NimbusJwtEncoder(new ImmutableSecret<>(new SecretKeySpec(secret, "HmacSHA256")));
        JwtClaimsSet claims = JwtClaimsSet.builder().issuer("attune").id(java.util.UUID.randomUUID().toString())
                .subject(Long.toString(identity.id()))
                .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(600))
                .claim("login", identity.login()).claim("roles", identity.roleNames()).build();
        return encoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims))
                .getTokenValue();
    }
}
