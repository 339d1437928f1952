package io.attune.notifier.slack;

import io.attune.core.channel.ChannelConfig;
import io.attune.core.channel.ChannelSender;
import io.attune.core.channel.Delivery;
import io.attune.core.channel.DeliveryOutcome;
import io.attune.core.slack.SlackDecision;
import io.attune.core.slack.SlackMessages;
import io.attune.model.json.Json;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * Channel type {@code slack}: each channel message becomes a Block Kit message POSTed to the channel's incoming
 * webhook ({@code config.webhook_url}), with Approve / Reject buttons when one boolean answers the inquiry
 * ({@link SlackDecision}); the buttons come back to api-service's {@code /integrations/slack/interactions}.
 * A 2xx is delivered; 429, 5xx, a timeout or a connection failure are retried by the engine; any other 4xx is final
 * (Slack's 400 {@code invalid_payload}, 403 {@code action_prohibited}, 404 {@code no_service}: retrying cannot help).
 */
@Component
public class SlackSender implements ChannelSender {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final SlackDecision decisions;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public SlackSender(SlackDecision decisions) {
        this.decisions = decisions;
    }

    @Override
    public String type() {
        return "slack";
    }

    @Override
    public DeliveryOutcome send(ChannelConfig channel, Delivery delivery) {
        String url = channel.text("webhook_url");
        if (url == null) {
            return DeliveryOutcome.failed(null, "the channel has no webhook_url");
        }
        ObjectNode payload = message(delivery);
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                    .header("Content-Type", "application/json; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Json.writeBytes(payload))).build();
        } catch (IllegalArgumentException e) {
            return DeliveryOutcome.failed(null, "webhook_url is not a usable URL");
        }
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status / 100 == 2) {
                return DeliveryOutcome.delivered(status);
            }
            String reason = "Slack answered " + status + describe(response.body());
            return status == 429 || status >= 500 ? DeliveryOutcome.retry(status, reason)
                    : DeliveryOutcome.failed(status, reason);
        } catch (HttpTimeoutException e) {
            return DeliveryOutcome.retry(null, "no answer from Slack within " + TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            return DeliveryOutcome.retry(null, "could not reach Slack: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DeliveryOutcome.retry(null, "interrupted");
        }
    }

    /** The Block Kit message for a delivery (buttons when the schema allows them). */
    ObjectNode message(Delivery delivery) {
        JsonNode inquiry = delivery.message().path("data").path("inquiry");
        Optional<String> field = decisions.field(inquiry.get("response_schema"),
                inquiry.path("decision_field").isString() ? inquiry.get("decision_field").asString() : null);
        return SlackMessages.of(delivery.message(), field);
    }

    /** Slack's error body is a short word (invalid_payload, no_service); anything longer is cut. */
    private static String describe(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String word = body.strip();
        return ": " + (word.length() > 100 ? word.substring(0, 100) + "…" : word);
    }
}
