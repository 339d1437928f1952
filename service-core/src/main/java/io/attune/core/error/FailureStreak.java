package io.attune.core.error;

import io.micrometer.core.instrument.Counter;
import org.slf4j.Logger;

import java.time.Duration;
import java.time.Instant;

/**
 * The log of a scheduled job that keeps failing (the database down, say): the first failure and then one line a
 * minute say so, not one per tick, and the first success after them says the job works again. Every failure is
 * counted. One per job; its methods are called from that job's single scheduler thread.
 */
public final class FailureStreak {
    private static final Duration WARN_EVERY = Duration.ofMinutes(1);

    private final String job;
    private final Duration retryEvery;
    private final Logger log;
    private final Counter failures;
    private Instant failingSince;
    private Instant lastWarning;

    /** {@code job} names the job in log lines ("Timeout check"); {@code retryEvery} is its schedule. */
    public FailureStreak(String job, Duration retryEvery, Logger log, Counter failures) {
        this.job = job;
        this.retryEvery = retryEvery;
        this.log = log;
        this.failures = failures;
    }

    /** The job ran through; returns true when that ends a streak of failures (logged). */
    public boolean succeeded() {
        if (failingSince == null) {
            return false;
        }
        log.info("{} works again (it failed since {})", job, failingSince);
        failingSince = null;
        return true;
    }

    /** The job failed: counted, and logged unless a warning of this streak was logged less than a minute ago. */
    public void failed(RuntimeException failure) {
        failures.increment();
        Instant now = Instant.now();
        boolean first = failingSince == null;
        if (first) {
            failingSince = now;
        }
        if (first || lastWarning.plus(WARN_EVERY).isBefore(now)) {
            lastWarning = now;
            log.warn("{} failed, retrying every {} (failing since {}): {}", job, retryEvery, failingSince,
                    Failures.rootMessage(failure));
        }
    }
}
