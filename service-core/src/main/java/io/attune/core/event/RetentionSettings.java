package io.attune.core.event;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code attune.event.*}: how long published events are kept in the stored trail ({@code ATTUNE_EVENT_RETENTION},
 * the window a WebSocket client can replay), how often the pruner looks for older ones and how many it deletes per
 * statement. See docs/notifier.md, "Retention".
 *
 * @param retention     published events older than this are deleted (default 7 days)
 * @param pruneInterval pause between two pruning runs; each run deletes until it has caught up (default 10 s)
 * @param pruneBatch    events deleted per statement (and transaction), so that no lock is held for long
 * @param pruneEnabled  whether this process prunes at all (the notifier, which stores no events, does not)
 * @param vacuumAfter   the pruner vacuums the table itself when nothing has for this long and it holds more dead rows
 *                      than a batch (default 1 minute)
 */
@ConfigurationProperties("attune.event")
public record RetentionSettings(Duration retention, Duration pruneInterval, Integer pruneBatch, Boolean pruneEnabled,
                               Duration vacuumAfter) {

    public RetentionSettings {
        retention = retention == null ? Duration.ofDays(7) : retention;
        pruneInterval = pruneInterval == null ? Duration.ofSeconds(10) : pruneInterval;
        pruneBatch = pruneBatch == null ? 5_000 : pruneBatch;
        pruneEnabled = pruneEnabled == null || pruneEnabled;
        vacuumAfter = vacuumAfter == null ? Duration.ofMinutes(1) : vacuumAfter;
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalStateException("ATTUNE_EVENT_RETENTION (attune.event.retention) must be positive");
        }
        if (pruneBatch < 1 || pruneInterval.isNegative() || pruneInterval.isZero()) {
            throw new IllegalStateException("attune.event.prune-batch and prune-interval must be positive");
        }
    }
}
