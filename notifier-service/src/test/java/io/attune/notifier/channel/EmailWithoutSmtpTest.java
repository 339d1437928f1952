package io.attune.notifier.channel;

import com.icegreen.greenmail.util.GreenMail;
import io.attune.core.channel.SenderReports;
import io.attune.core.identity.Identity;
import io.attune.model.json.Json;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.TestPropertySource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Email without SMTP on this notifier (no ATTUNE_SMTP_URL) is not lost: its deliveries wait, pending, while the
 * channel's status says why; a notifier with SMTP started later sends them, and with both running each message goes
 * out once (the one without SMTP claims none). Nobody able to send within the retry window: given up with the reason.
 * The methods run in order: the first needs no notifier with SMTP to exist yet.
 */
@TestPropertySource(properties = {"attune.channels.poll-interval=100ms", "attune.channels.smtp-url=",
        "attune.channels.mail-from=Attune <attune@example.com>"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmailWithoutSmtpTest extends ChannelTestSupport {
    private static final String NO_SMTP = "no SMTP server is configured on the notifier (ATTUNE_SMTP_URL)";
    private static GreenMail smtp;
    private static ConfigurableApplicationContext withSmtp;

    @Autowired
    SenderReports senderReports;

    @AfterAll
    static void stopNotifierWithSmtp() {
        if (withSmtp != null) {
            withSmtp.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
    }

    private long emailChannel() {
        return channels.create("email", "mail-" + UUID.randomUUID(), Json.object(), Json.object(), true, null);
    }

    private static String address(String name) {
        return name + "-" + System.nanoTime() + "@example.com";
    }

    @Test
    @Order(1)
    void aDeliveryNoNotifierCouldSendIsGivenUpWithTheReasonWhenItsRetryWindowEnds() {
        Identity ada = withEmail(address("ada"));
        long channel = emailChannel();
        open(ada.id(), "Anyone configured SMTP?");
        await().atMost(WAIT).until(() -> deliveries(channel).size() == 1);
        jdbc.sql("UPDATE attune.delivery SET give_up_at = now() - interval '1 second' WHERE channel_id = ?")
                .param(channel).update();

        await().atMost(WAIT).until(() -> "failed".equals(deliveries(channel).get(0).get("status")));
        Map<String, Object> failed = deliveries(channel).get(0);
        assertThat(failed.get("last_error")).isEqualTo("not sent within its retry window: " + NO_SMTP);
        assertThat(failed.get("attempts")).isEqualTo(0);
    }

    @Test
    @Order(2)
    void anEmailWaitsPendingUntilANotifierWithSmtpSendsIt() throws Exception {
        String address = address("bob");
        Identity bob = withEmail(address);
        long channel = emailChannel();
        open(bob.id(), "Deploy while SMTP is missing?");
        await().atMost(WAIT).until(() -> deliveries(channel).size() == 1);
        Thread.sleep(1000);  // ten rounds of this notifier, which cannot send it
        assertThat(deliveries(channel).get(0)).containsEntry("status", "pending").containsEntry("attempts", 0);
        assertThat(senderReports.state("email")).contains(new SenderReports.State(false, NO_SMTP));

        smtp = startSmtp();
        withSmtp = startNotifier(Map.of("attune.channels.poll-interval", "100ms",
                "attune.channels.smtp-url", smtpUrl(smtp), "attune.channels.mail-from", "Attune <attune@example.com>"));
        await().atMost(WAIT).until(() -> received(smtp, address).size() == 1);
        assertThat(received(smtp, address).get(0).getSubject()).contains("Deploy while SMTP is missing?");
        await().atMost(WAIT).until(() -> "delivered".equals(deliveries(channel).get(0).get("status")));
        assertThat(deliveries(channel).get(0)).containsEntry("attempts", 1);
        assertThat(senderReports.state("email")).contains(new SenderReports.State(true, null));
    }

    @Test
    @Order(3)
    void withOneNotifierWithSmtpAndOneWithoutEveryMessageGoesOutOnce() throws Exception {
        assertThat(withSmtp).as("started by the test before").isNotNull();
        List<String> addresses = new ArrayList<>();
        long channel = emailChannel();
        for (int i = 0; i < 12; i++) {
            String address = address("cyd" + i);
            addresses.add(address);
            open(withEmail(address).id(), "Release " + i + "?");
        }
        await().atMost(WAIT).until(() -> deliveries(channel).size() == 12
                && deliveries(channel).stream().allMatch(r -> "delivered".equals(r.get("status"))));
        for (String address : addresses) {
            List<MimeMessage> got = received(smtp, address);
            assertThat(got).as(address).hasSize(1);
            assertThat(got.get(0).getSubject()).startsWith("Approval needed: Release ");
        }
        String sender = withSmtp.getBean(DeliveryEngine.class).replica();
        assertThat(deliveries(channel)).allSatisfy(row -> assertThat(tries(((Number) row.get("id")).longValue()))
                .singleElement().satisfies(t -> assertThat(t).containsEntry("status", "delivered")
                        .containsEntry("replica", sender)));
    }
}
