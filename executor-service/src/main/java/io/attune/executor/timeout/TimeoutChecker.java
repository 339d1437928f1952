package io.attune.executor.timeout;

import io.attune.core.background.Batches;
import io.attune.core.error.FailureStreak;
import io.attune.core.inquiry.InquiryTransitions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.util.UUID;

/**
 * The timeout checker (docs/protocol.md §3.4): every {@code attune.inquiry.timeout-check-interval} it times out the pending
 * inquiries whose {@code timeout_at} has passed, with their executions, a batch per transaction, until none is left.
 * Every replica runs one; the core's sweep skips the rows another replica is working on, so each inquiry is timed out
 * exactly once. A failed sweep (database down) is logged and tried again on the next tick.
 */
@Component
@EnableScheduling
@EnableConfigurationProperties(TimeoutSettings.class)
public class TimeoutChecker {
    private static final Logger log = LoggerFactory.getLogger(TimeoutChecker.class);

    private final InquiryTransitions transitions;
    private final TimeoutSettings settings;
    private final Counter timedOut;
    private final Timer sweeps;
    private final FailureStreak failures;

    public TimeoutChecker(InquiryTransitions transitions, TimeoutSettings settings, MeterRegistry meters) {
        this.transitions = transitions;
        this.settings = settings;
        this.timedOut = Counter.builder("attune.inquiries.timed_out")
                .description("pending inquiries timed out by this replica").register(meters);
        this.sweeps = Timer.builder("attune.inquiry.timeout.sweep")
                .description("time to time out every expired inquiry, once per check").register(meters);
        this.failures = new FailureStreak("Timeout check", settings.timeoutCheckInterval(), log,
                Counter.builder("attune.inquiry.timeout.check.failures")
                        .description("timeout checks that failed (database unavailable, say) and wait for the next tick")
                        .register(meters));
        log.info("Timeout checker: every {}, batches of {}", settings.timeoutCheckInterval(),
                settings.timeoutBatchSize());
    }

    @Scheduled(fixedDelayString = "${attune.inquiry.timeout-check-interval:1s}")
    void onSchedule() {
        try {
            sweep();
            failures.succeeded();
        } catch (RuntimeException e) {
            failures.failed(e); // never let a failure end the schedule: the next tick tries again
        }
    }

    /** Times out every expired pending inquiry, batch after batch; returns how many this replica took. */
    public int sweep() {
        return sweeps.record(() -> {
            int total = Batches.drain(settings.timeoutBatchSize(), () -> {
                int batch = transitions.timeOutExpired(settings.timeoutBatchSize(), UUID.randomUUID());
                timedOut.increment(batch);
                return batch;
            });
            if (total > 0) {
                log.info("Timed out {} inquiries", total);
            }
            return total;
        });
    }
}
