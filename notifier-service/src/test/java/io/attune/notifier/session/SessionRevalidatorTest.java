package io.attune.notifier.session;

import io.attune.core.identity.Actor;
import io.attune.core.identity.Identity;
import io.attune.core.identity.Role;
import io.attune.core.identity.SessionGuard;
import io.attune.core.identity.SessionGuard.TokenKey;
import io.attune.model.ws.SubscriptionFilters;
import io.attune.notifier.NotifierIntegrationTest;
import io.attune.notifier.WsClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The periodic token check closes the sockets whose tokens it found no longer valid, and only those: a socket that
 * opens while the check runs (its token was checked as it opened) stays open.
 */
class SessionRevalidatorTest extends NotifierIntegrationTest {
    @Autowired
    SessionRegistry sessions;

    @Test
    void aSocketThatOpensWhileTheTokensAreCheckedIsNotClosedAsNoLongerValid() {
        Identity admin = identity(Role.ADMIN);
        int before = sessions.size();
        AtomicReference<WsClient> opened = new AtomicReference<>();
        SessionGuard connectingDuringTheCheck = new SessionGuard(jdbc, Duration.ofSeconds(2)) {
            @Override
            public Map<TokenKey, Optional<Actor>> checkAll(Collection<TokenKey> keys) {
                Map<TokenKey, Optional<Actor>> checked = super.checkAll(keys);
                opened.set(connect(admin));
                await().atMost(WAIT).until(() -> sessions.size() == before + 2);
                return checked;
            }
        };
        SessionRevalidator revalidator = new SessionRevalidator(sessions, connectingDuringTheCheck, Duration.ofHours(1));
        try (WsClient first = connect(admin)) {
            first.subscribe(SubscriptionFilters.NONE, null);
            await().atMost(WAIT).until(() -> sessions.size() == before + 1);

            revalidator.revalidate();

            try (WsClient late = opened.get()) {
                assertThat(sessions.size()).isEqualTo(before + 2);
                assertThat(late.subscribe(SubscriptionFilters.NONE, null).get("type").asString())
                        .isEqualTo("subscribed");
            }
        } finally {
            revalidator.destroy();
        }
    }
}
