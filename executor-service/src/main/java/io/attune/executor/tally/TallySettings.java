package io.attune.executor.tally;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code attune.inquiry.tally.compact-interval}: how often an executor folds the inquiry tally's per-backend rows
 * (docs/executor.md, "Tally compaction"). Each database backend adds at most a row per status and assignee it
 * changed, so a minute keeps the table small at any rate.
 */
@ConfigurationProperties("attune.inquiry.tally")
public record TallySettings(Duration compactInterval) {

    public TallySettings {
        compactInterval = compactInterval == null ? Duration.ofSeconds(60) : compactInterval;
        if (compactInterval.isNegative() || compactInterval.isZero()) {
            throw new IllegalArgumentException("attune.inquiry.tally.compact-interval must be positive");
        }
    }
}
