package io.attune.notifier.auth;

import io.attune.core.identity.Identity;
import io.attune.core.identity.Role;
import io.attune.core.identity.SessionGuard;
import io.attune.model.ws.SubscriptionFilters;
import io.attune.notifier.NotifierIntegrationTest;
import io.attune.notifier.WsClient;
import io.attune.notifier.session.CloseCodes;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the api-service changes in the database reaches open sockets within five seconds: a disabled identity's and a
 * logged-out token's sockets are closed with 4001 and cannot open again; a changed role closes with 4003.
 */
class SessionRevalidationTest extends NotifierIntegrationTest {
    private static final Duration PROMISED = Duration.ofSeconds(5);

    @Autowired
    SessionGuard sessions;
    @Autowired
    JwtDecoder decoder;

    @Test
    void aDisabledIdentitysSocketIsClosedWith4001AndCannotReconnect() {
        Identity ada = identity(Role.USER);
        String token = token(ada);
        try (WsClient client = WsClient.connect(ws(), token)) {
            client.subscribe(SubscriptionFilters.NONE, null);
            jdbc.sql("UPDATE attune.identity SET disabled = true WHERE id = ?").param(ada.id()).update();

            assertThat(client.awaitClose(PROMISED).code()).isEqualTo(CloseCodes.TOKEN_EXPIRED);
        }
        assertThat(WsClient.refusal(ws(), builder -> builder.header("Authorization", "Bearer " + token)))
                .isEqualTo(401);
    }

    @Test
    void aRevokedTokensSocketIsClosedWith4001AndTheIdentitysOtherSocketsStay() {
        Identity bob = identity(Role.USER);
        String revoked = token(bob);
        String other = token(bob);
        try (WsClient client = WsClient.connect(ws(), revoked); WsClient stays = WsClient.connect(ws(), other)) {
            client.subscribe(SubscriptionFilters.NONE, null);
            stays.subscribe(SubscriptionFilters.NONE, null);
            sessions.revoke(decoder.decode(revoked)); // what POST /auth/logout does

            assertThat(client.awaitClose(PROMISED).code()).isEqualTo(CloseCodes.TOKEN_EXPIRED);
            assertThat(stays.isClosed()).isFalse();
        }
        assertThat(WsClient.refusal(ws(), builder -> builder.header("Authorization", "Bearer " + revoked)))
                .isEqualTo(401);
    }

    @Test
    void aRoleChangeClosesWith4003SoThatTheClientReconnectsWithItsNewRights() {
        Identity carol = identity(Role.ADMIN);
        try (WsClient client = WsClient.connect(ws(), token(carol))) {
            client.subscribe(SubscriptionFilters.NONE, null);
            jdbc.sql("UPDATE attune.identity SET roles = '{user}' WHERE id = ?").param(carol.id()).update();

            assertThat(client.awaitClose(PROMISED).code()).isEqualTo(CloseCodes.PERMISSIONS_CHANGED);
        }
    }

    @Test
    void aDeletedIdentitysTokenIsRefusedAtTheUpgrade() {
        Identity gone = identity(Role.USER);
        String token = token(gone);
        jdbc.sql("DELETE FROM attune.identity WHERE id = ?").param(gone.id()).update();
        assertThat(WsClient.refusal(ws(), builder -> builder.header("Authorization", "Bearer " + token)))
                .isEqualTo(401);
    }
}
