package io.attune.core.event;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code attune.outbox.*}: how often the relay looks for events other processes stored (it is woken at once for this
 * process's own) and how many it publishes per confirm round. Whether a process relays at all is
 * {@code attune.outbox.relay-enabled} (see {@link OutboxAutoConfiguration}). How long published events are kept is
 * {@link RetentionSettings}.
 */
@ConfigurationProperties("attune.outbox")
public record RelaySettings(Duration pollInterval, Integer batchSize) {

    public RelaySettings {
        pollInterval = pollInterval == null ? Duration.ofMillis(250) : pollInterval;
        batchSize = batchSize == null ? 500 : batchSize;
    }
}
