package io.attune.notifier;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.List;

/**
 * {@code attune.notifier.*}.
 *
 * @param allowedOrigins    browser origins allowed to open {@code /ws} (patterns; {@code *} = any, since the UI is
 *                          served from another port)
 * @param sessionBuffer     notifications and replies that may wait for one client; one more and the client is
 *                          closed as too slow (4008) — it reconnects with {@code since}
 * @param replayLimit       the most notifications one subscribe with {@code since} replays
 * @param heartbeatInterval how often an idle socket gets a WebSocket ping, so that proxies keep it open
 * @param sendTimeout       how long one message may take to leave before the client counts as stuck
 */
@ConfigurationProperties("attune.notifier")
public record NotifierSettings(List<String> allowedOrigins, Integer sessionBuffer, Integer replayLimit,
                               Duration heartbeatInterval, Duration sendTimeout) {

    public NotifierSettings {
        allowedOrigins = allowedOrigins == null || allowedOrigins.isEmpty() ? List.of("*") : List.copyOf(allowedOrigins);
        sessionBuffer = sessionBuffer == null ? 1000 : sessionBuffer;
        replayLimit = replayLimit == null ? 1000 : replayLimit;
        heartbeatInterval = heartbeatInterval == null ? Duration.ofSeconds(25) : heartbeatInterval;
        sendTimeout = sendTimeout == null ? Duration.ofSeconds(30) : sendTimeout;
        if (sessionBuffer < 1 || replayLimit < 1) {
            throw new IllegalStateException("attune.notifier.session-buffer and replay-limit must be positive");
        }
    }
}
