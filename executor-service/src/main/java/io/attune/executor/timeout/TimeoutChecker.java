package io.attune.executor.timeout;

import io.attune.core.background.Sweep;
import io.attune.core.inquiry.InquiryTransitions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.util.UUID;

/**
 * The timeout checker (docs/protocol.md §3.4): every {@code attune.inquiry.timeout-check-interval} it times out the pending
 * inquiries whose {@code timeout_at} has passed, with their executions, a batch per transaction, until none is left
 * ({@code attune.inquiry.timeout-batches-in-flight} transactions side by side).
 * Every replica runs one; the core's sweep skips the rows another replica is working on, so each inquiry is timed out
 * exactly once. A failed sweep (database down) is logged and tried again on the next tick.
 */
@Component
@EnableScheduling
@EnableConfigurationProperties(TimeoutSettings.class)
public class TimeoutChecker {
    private static final Logger log = LoggerFactory.getLogger(TimeoutChecker.class);

    private final Sweep sweep;

    public TimeoutChecker(InquiryTransitions transitions, TimeoutSettings settings, MeterRegistry meters) {
        this.sweep = new Sweep(log, "Timeout check", settings.timeoutCheckInterval(), settings.timeoutBatchSize(),
                settings.timeoutBatchesInFlight(),
                () -> transitions.timeOutExpired(settings.timeoutBatchSize(), UUID.randomUUID()),
                Counter.builder("attune.inquiries.timed_out")
                        .description("pending inquiries timed out by this replica").register(meters),
                Timer.builder("attune.inquiry.timeout.sweep")
                        .description("time to time out every expired inquiry, once per check").register(meters),
                Counter.builder("attune.inquiry.timeout.check.failures")
                        .description("timeout checks that failed (database unavailable, say) and wait for the next tick")
                        .register(meters),
                "Timed out {} inquiries");
        log.info("Timeout checker: every {}, batches of {}, {} in flight", settings.timeoutCheckInterval(),
                settings.timeoutBatchSize(), settings.timeoutBatchesInFlight());
    }

    @PreDestroy
    void stop() {
        sweep.close();
    }

    @Scheduled(fixedDelayString = "${attune.inquiry.timeout-check-interval:1s}")
    void onSchedule() {
        sweep.tick();
    }

    /** Times out every expired pending inquiry, batch after batch; returns how many this replica took. */
    public int sweep() {
        return sweep.run();
    }
}
