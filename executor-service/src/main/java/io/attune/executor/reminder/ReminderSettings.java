package io.attune.executor.reminder;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code attune.inquiry.reminder.*}: how often the reminder sweep looks for due reminders (a period is at least a
 * minute, so a few seconds' lateness is fine) and how many it sends per transaction.
 */
@ConfigurationProperties("attune.inquiry.reminder")
public record ReminderSettings(Duration checkInterval, Integer batchSize) {

    public ReminderSettings {
        checkInterval = checkInterval == null ? Duration.ofSeconds(5) : checkInterval;
        batchSize = batchSize == null ? 1000 : batchSize;
        if (checkInterval.isNegative() || checkInterval.isZero()) {
            throw new IllegalArgumentException("attune.inquiry.reminder.check-interval must be positive");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("attune.inquiry.reminder.batch-size must be at least 1");
        }
    }
}
