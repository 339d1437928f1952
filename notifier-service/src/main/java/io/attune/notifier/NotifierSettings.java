package io.attune.notifier;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.List;

/**
 * {@code attune.notifier.*}; docs/notifier.md has the table.
 *
 * @param allowedOrigins        browser origins allowed to open {@code /ws} (patterns; {@code *} = any, since the UI is
 *                              served from another port)
 * @param sessionBuffer         notifications and replies that may wait for one client; one more and the client is
 *                              closed as too slow (4008) — it reconnects with {@code since}
 * @param replayLimit           the most notifications one subscribe with {@code since} replays
 * @param replayBuffer          how much replayed JSON may wait for one client; the replay reads on once the client
 *                              has taken half of it
 * @param replayThreads         threads that run the clients' messages and replays (never the sockets' own threads)
 * @param subscribeBurst        subscribes a socket may send at once …
 * @param subscribesPerSecond   … and per second after that; one more closes it with 4029
 * @param pendingMessages       client messages that may wait to be handled for one socket; one more closes it (4029)
 * @param maxSocketsPerIdentity sockets one identity may hold open on this replica; one more is closed at once (4029)
 * @param heartbeatInterval     how often an idle socket gets a WebSocket ping, so that proxies keep it open
 * @param sendTimeout           how long one message may take to leave before the client counts as stuck
 */
@ConfigurationProperties("attune.notifier")
public record NotifierSettings(List<String> allowedOrigins, Integer sessionBuffer, Integer replayLimit,
                               DataSize replayBuffer, Integer replayThreads, Integer subscribeBurst,
                               Double subscribesPerSecond, Integer pendingMessages, Integer maxSocketsPerIdentity,
                               Duration heartbeatInterval, Duration sendTimeout) {

    public NotifierSettings {
        allowedOrigins = allowedOrigins == null || allowedOrigins.isEmpty() ? List.of("*") : List.copyOf(allowedOrigins);
        sessionBuffer = sessionBuffer == null ? 1000 : sessionBuffer;
        replayLimit = replayLimit == null ? 1000 : replayLimit;
        replayBuffer = replayBuffer == null ? DataSize.ofKilobytes(256) : replayBuffer;
        replayThreads = replayThreads == null ? 4 : replayThreads;
        subscribeBurst = subscribeBurst == null ? 20 : subscribeBurst;
        subscribesPerSecond = subscribesPerSecond == null ? 5.0 : subscribesPerSecond;
        pendingMessages = pendingMessages == null ? 50 : pendingMessages;
        maxSocketsPerIdentity = maxSocketsPerIdentity == null ? 20 : maxSocketsPerIdentity;
        heartbeatInterval = heartbeatInterval == null ? Duration.ofSeconds(25) : heartbeatInterval;
        sendTimeout = sendTimeout == null ? Duration.ofSeconds(30) : sendTimeout;
        if (sessionBuffer < 1 || replayLimit < 1 || replayBuffer.toBytes() < 1 || replayThreads < 1
                || subscribeBurst < 1 || subscribesPerSecond <= 0 || pendingMessages < 1 || maxSocketsPerIdentity < 1) {
            throw new IllegalStateException("attune.notifier.session-buffer, replay-limit, replay-buffer, "
                    + "replay-threads, subscribe-burst, subscribes-per-second, pending-messages and "
                    + "max-sockets-per-identity must be positive");
        }
    }
}
