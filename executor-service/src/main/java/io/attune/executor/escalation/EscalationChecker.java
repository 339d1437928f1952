package io.attune.executor.escalation;

import io.attune.core.background.Batches;
import io.attune.core.error.FailureStreak;
import io.attune.core.inquiry.InquiryTransitions;
import io.attune.executor.timeout.TimeoutSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.util.UUID;

/**
 * The escalation sweep (docs/policies.md "Escalation"): on the timeout checker's schedule and batch size, it
 * reassigns the pending inquiries whose next escalation step is due, a batch per transaction, until none is left.
 * Every replica runs one; the core's sweep skips rows another replica (or an answer) holds, so each step is taken
 * exactly once. A failed sweep is logged (at most once a minute) and tried again on the next tick.
 */
@Component
public class EscalationChecker {
    private static final Logger log = LoggerFactory.getLogger(EscalationChecker.class);

    private final InquiryTransitions transitions;
    private final TimeoutSettings settings;
    private final Counter escalated;
    private final Timer sweeps;
    private final FailureStreak failures;

    public EscalationChecker(InquiryTransitions transitions, TimeoutSettings settings, MeterRegistry meters) {
        this.transitions = transitions;
        this.settings = settings;
        this.escalated = Counter.builder("attune.inquiries.escalated")
                .description("escalation steps taken by this replica").register(meters);
        this.sweeps = Timer.builder("attune.inquiry.escalation.sweep")
                .description("time to take every due escalation step, once per check").register(meters);
        this.failures = new FailureStreak("Escalation check", settings.timeoutCheckInterval(), log,
                Counter.builder("attune.inquiry.escalation.check.failures")
                        .description("escalation checks that failed and wait for the next tick").register(meters));
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

    /** Takes every due escalation step, batch after batch; returns how many this replica took. */
    public int sweep() {
        return sweeps.record(() -> {
            int total = Batches.drain(settings.timeoutBatchSize(), () -> {
                int batch = transitions.escalateDue(settings.timeoutBatchSize(), UUID.randomUUID());
                escalated.increment(batch);
                return batch;
            });
            if (total > 0) {
                log.info("Escalated {} inquiries", total);
            }
            return total;
        });
    }
}
