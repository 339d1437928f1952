package io.attune.core.event;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code attune.outbox.*}: how often the relay looks for events other processes stored (it is woken at once for this
 * process's own), how many it publishes per confirm round, and how long published events are kept for replay.
 */
@ConfigurationProperties("attune.outbox")
public record RelaySettings(Boolean relayEnabled, Duration pollInterval, Integer batchSize, Duration retention) {

    public RelaySettings {
        relayEnabled = relayEnabled == null || relayEnabled;
        pollInterval = pollInterval == null ? Duration.ofMillis(250) : pollInterval;
        batchSize = batchSize == null ? 500 : batchSize;
        retention = retention == null ? Duration.ofDays(7) : retention;
    }
}
