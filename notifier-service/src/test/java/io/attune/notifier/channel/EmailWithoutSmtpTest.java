package io.attune.notifier.channel;

import io.attune.core.identity.Identity;
import io.attune.core.identity.Role;
import io.attune.model.json.Json;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Without ATTUNE_SMTP_URL an email channel says so, and its deliveries are kept as not sent with the reason. */
@TestPropertySource(properties = {"attune.channels.poll-interval=100ms", "attune.channels.smtp-url="})
class EmailUnconfiguredTest extends ChannelTestSupport {

    @Test
    void deliveriesAreKeptAsNotSentAndTheSenderReportsWhy() {
        Identity ada = identity(Role.USER);
        jdbc.sql("UPDATE attune.identity SET attributes = '{\"email\": \"ada@example.com\"}' WHERE id = ?")
                .param(ada.id()).update();
        long channel = channels.create("email", "mail-unconfigured", Json.object(), Json.object(), true, null);
        open(ada.id(), "Anyone configured SMTP?");
        await().atMost(WAIT).until(() -> deliveries(channel).size() == 1
                && "not_sent".equals(deliveries(channel).get(0).get("status")));
        assertThat(deliveries(channel).get(0).get("last_error"))
                .isEqualTo("no SMTP server is configured on the notifier (ATTUNE_SMTP_URL)");
        assertThat(jdbc.sql("SELECT available, reason FROM attune.channel_sender_status WHERE type = 'email'")
                .query().singleRow()).containsEntry("available", false)
                .containsEntry("reason", "no SMTP server is configured on the notifier (ATTUNE_SMTP_URL)");
    }
}
