package io.attune.notifier.channel;

import io.attune.core.channel.ChannelConfig;
import io.attune.core.channel.ChannelSender;
import io.attune.core.channel.Delivery;
import io.attune.core.channel.DeliveryOutcome;
import io.attune.core.channel.WebhookSignature;
import io.attune.model.json.Json;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Instant;

/**
 * Webhooks as Standard Webhooks describes them: the message POSTed as JSON with {@code webhook-id} (the delivery's
 * message id, the same on every try), {@code webhook-timestamp} (seconds, this try's) and {@code webhook-signature}.
 * A 2xx answer delivers; any other answer, or none within {@code attune.channels.timeout}, is tried again. Redirects
 * are not followed (a 3xx is a failed try). Also sends per-execution callbacks (a target with no channel).
 */
@Component
public class WebhookSender implements ChannelSender {
    private final HttpClient http;
    private final ChannelSettings settings;

    public WebhookSender(ChannelSettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public String type() {
        return "webhook";
    }

    @Override
    public DeliveryOutcome send(ChannelConfig channel, Delivery delivery) {
        String url = channel.text("url");
        String secret = channel.text("secret");
        if (url == null || secret == null) {
            return DeliveryOutcome.failed(null, "the webhook has no url or secret");
        }
        byte[] body = Json.writeBytes(body(delivery));
        long timestamp = Instant.now().getEpochSecond();
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(settings.timeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "Attune-Webhooks/1")
                    .header("webhook-id", delivery.messageId())
                    .header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature", WebhookSignature.sign(secret, delivery.messageId(), timestamp, body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        } catch (IllegalArgumentException e) {
            return DeliveryOutcome.failed(null, "the webhook's url cannot be used: " + e.getMessage());
        }
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            int code = response.statusCode();
            return code >= 200 && code < 300 ? DeliveryOutcome.delivered(code)
                    : DeliveryOutcome.retry(code, "the receiver answered " + code);
        } catch (HttpTimeoutException e) {
            return DeliveryOutcome.retry(null, "no answer within " + settings.timeout().toSeconds() + " s");
        } catch (IOException e) {
            return DeliveryOutcome.retry(null, "could not reach the receiver: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DeliveryOutcome.retry(null, "interrupted while sending (the notifier is stopping)");
        }
    }

    /** The webhook body: the message without what only email shows ({@code data.context}). */
    static ObjectNode body(Delivery delivery) {
        ObjectNode body = (ObjectNode) delivery.message().deepCopy();
        if (body.get("data") instanceof ObjectNode data) {
            data.remove("context");
        }
        return body;
    }
}
