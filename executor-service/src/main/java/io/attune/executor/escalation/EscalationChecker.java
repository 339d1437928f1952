package io.attune.executor.escalation;

import io.attune.core.background.Sweep;
import io.attune.core.inquiry.InquiryTransitions;
import io.attune.executor.timeout.TimeoutSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.util.UUID;

/**
 * The escalation sweep (docs/policies.md "Escalation"): on the timeout checker's schedule, batch size and batches in
 * flight, it reassigns the pending inquiries whose next escalation step is due, a batch per transaction, until none
 * is left.
 * Every replica runs one; the core's sweep skips rows another replica (or an answer) holds, so each step is taken
 * exactly once. A failed sweep is logged (at most once a minute) and tried again on the next tick.
 */
@Component
public class EscalationChecker {
    private static final Logger log = LoggerFactory.getLogger(EscalationChecker.class);

    private final Sweep sweep;

    public EscalationChecker(InquiryTransitions transitions, TimeoutSettings settings, MeterRegistry meters) {
        this.sweep = new Sweep(log, "Escalation check", settings.timeoutCheckInterval(), settings.timeoutBatchSize(),
                settings.timeoutBatchesInFlight(),
                () -> transitions.escalateDue(settings.timeoutBatchSize(), UUID.randomUUID()),
                Counter.builder("attune.inquiries.escalated")
                        .description("escalation steps taken by this replica").register(meters),
                Timer.builder("attune.inquiry.escalation.sweep")
                        .description("time to take every due escalation step, once per check").register(meters),
                Counter.builder("attune.inquiry.escalation.check.failures")
                        .description("escalation checks that failed and wait for the next tick").register(meters),
                "Escalated {} inquiries");
    }

    @PreDestroy
    void stop() {
        sweep.close();
    }

    @Scheduled(fixedDelayString = "${attune.inquiry.timeout-check-interval:1s}")
    void onSchedule() {
        sweep.tick();
    }

    /** Takes every due escalation step, batch after batch; returns how many this replica took. */
    public int sweep() {
        return sweep.run();
    }
}
