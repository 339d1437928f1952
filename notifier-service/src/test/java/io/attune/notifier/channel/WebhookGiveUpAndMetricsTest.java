package io.attune.notifier.channel;

import io.attune.core.channel.ChannelConfigRules;
import io.attune.core.identity.Role;
import io.attune.testsupport.WebhookReceiver;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The end of a delivery's retry window (3 s here instead of 24 h) and what the notifier's metrics say about
 * deliveries, read where Prometheus reads them ({@code /actuator/prometheus}).
 */
@TestPropertySource(properties = {"attune.channels.poll-interval=100ms", "attune.channels.retry-initial=200ms",
        "attune.channels.retry-max=500ms", "attune.channels.retry-window=3s", "attune.channels.timeout=1s",
        "attune.channels.lease=3s"})
class WebhookGiveUpAndMetricsTest extends ChannelTestSupport {

    @Test
    void aReceiverDownPastTheRetryWindowLeavesTheDeliveryFailed() throws Exception {
        String secret = ChannelConfigRules.newWebhookSecret();
        try (WebhookReceiver receiver = new WebhookReceiver(secret)) {
            long channel = webhookChannel(receiver.url(), secret, null);
            double gaveUp = metric("attune_channel_failed_total", Map.of("type", "webhook", "reason", "gave_up"));
            receiver.down();
            open(null, "Nobody listening?");

            await().atMost(WAIT).until(() -> deliveries(channel).size() == 1
                    && "failed".equals(deliveries(channel).get(0).get("status")));
            Map<String, Object> failed = deliveries(channel).get(0);
            assertThat(((Number) failed.get("attempts")).intValue()).isGreaterThanOrEqualTo(2);
            assertThat(failed.get("last_error").toString()).startsWith("could not reach the receiver");
            List<Map<String, Object>> tries = tries(((Number) failed.get("id")).longValue());
            assertThat(tries).hasSize(((Number) failed.get("attempts")).intValue())
                    .allSatisfy(t -> assertThat(t).containsEntry("status", "failed"));
            assertThat(jdbc.sql("SELECT next_attempt_at IS NULL AND updated >= give_up_at FROM attune.delivery "
                    + "WHERE id = ?").param(failed.get("id")).query(Boolean.class).single()).isTrue();
            assertThat(metric("attune_channel_failed_total", Map.of("type", "webhook", "reason", "gave_up")))
                    .isEqualTo(gaveUp + 1);

            // back up: nothing more is sent for it
            receiver.up();
            Thread.sleep(1000);
            assertThat(receiver.received()).isEmpty();
        }
    }

    @Test
    void aDeliveryIsCountedAndTimed() throws Exception {
        String secret = ChannelConfigRules.newWebhookSecret();
        try (WebhookReceiver receiver = new WebhookReceiver(secret)) {
            long channel = webhookChannel(receiver.url(), secret, null);
            Map<String, String> webhook = Map.of("type", "webhook");
            double delivered = metric("attune_channel_delivered_total", webhook);
            double tries = metric("attune_channel_delivery_attempts_total", Map.of("type", "webhook",
                    "outcome", "delivered"));
            double timed = metric("attune_channel_delivery_latency_seconds_count", webhook);
            double planned = metric("attune_channel_deliveries_planned_total", Map.of("outcome", "pending"));

            open(null, "Counted?");
            await().atMost(WAIT).until(() -> deliveries(channel).size() == 1
                    && "delivered".equals(deliveries(channel).get(0).get("status")));
            assertThat(metric("attune_channel_delivered_total", webhook)).isEqualTo(delivered + 1);
            assertThat(metric("attune_channel_delivery_attempts_total", Map.of("type", "webhook",
                    "outcome", "delivered"))).isEqualTo(tries + 1);
            assertThat(metric("attune_channel_delivery_latency_seconds_count", webhook)).isEqualTo(timed + 1);
            assertThat(metric("attune_channel_deliveries_planned_total", Map.of("outcome", "pending")))
                    .isGreaterThanOrEqualTo(planned + 1);
        }
    }

    /** The value of the series {@code name} with these labels at {@code /actuator/prometheus}; 0 while it is absent. */
    private double metric(String name, Map<String, String> labels) throws Exception {
        HttpResponse<String> scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                        .header("Authorization", "Bearer " + token(identity(Role.ADMIN))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.statusCode()).isEqualTo(200);
        return scrape.body().lines()
                .filter(line -> line.startsWith(name + "{"))
                .filter(line -> labels.entrySet().stream()
                        .allMatch(label -> line.contains(label.getKey() + "=\"" + label.getValue() + "\"")))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
