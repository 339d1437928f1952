package io.attune.api.slack;

import io.attune.core.background.DaemonThreads;
import io.attune.model.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Posts message updates to an interaction's {@code response_url}, after the interaction has been acknowledged
 * (Slack wants its answer within 3 seconds). Only URLs under {@code ATTUNE_SLACK_RESPONSE_URL_PREFIX} (default
 * {@code https://hooks.slack.com/}) are called, so a payload cannot make the api call anywhere else.
 */
@Component
public class SlackResponder implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(SlackResponder.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final String allowedPrefix;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final ExecutorService senders = Executors.newFixedThreadPool(2, DaemonThreads.named("slack-response-url-"));

    public SlackResponder(@Value("${attune.slack.response-url-prefix:https://hooks.slack.com/}") String allowedPrefix) {
        this.allowedPrefix = allowedPrefix;
    }

    /** Whether the api would post to this response_url. */
    public boolean allowed(String responseUrl) {
        return responseUrl != null && !allowedPrefix.isBlank() && responseUrl.startsWith(allowedPrefix)
                && !responseUrl.contains("@");
    }

    /** Posts {@code message} to {@code responseUrl} in the background (once; Slack's URL takes five posts). */
    public void post(String responseUrl, JsonNode message) {
        if (!allowed(responseUrl)) {
            log.warn("slack: not posting to a response_url outside {}", allowedPrefix);
            return;
        }
        senders.execute(() -> {
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create(responseUrl)).timeout(TIMEOUT)
                        .header("Content-Type", "application/json; charset=utf-8")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(Json.writeBytes(message))).build();
                int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status / 100 != 2) {
                    log.warn("slack: the response_url answered {}", status);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                log.warn("slack: could not post to the response_url: {}", e.getClass().getSimpleName());
            }
        });
    }

    @Override
    public void destroy() {
        senders.shutdown();
    }
}
