package io.attune.core.inquiry;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Time to decision as a Prometheus histogram, {@code attune_inquiry_decision_seconds{outcome, assigned}}: from an
 * inquiry's creation to its answer, timeout or cancellation, counted when the decision commits (its {@code _count}
 * is the number of decisions per outcome). The tags have a handful of values each; who decided is in the insights.
 */
@Component
public class DecisionMetrics {
    private static final Duration[] BUCKETS = {Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1),
            Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1),
            Duration.ofHours(2), Duration.ofHours(4), Duration.ofHours(8), Duration.ofDays(1), Duration.ofDays(2),
            Duration.ofDays(7)};

    private final MeterRegistry meters;
    /** One timer per (outcome, assigned): registering it at every decision cost api-service 1.6 % of its CPU. */
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public DecisionMetrics(ObjectProvider<MeterRegistry> meters) {
        this.meters = meters.getIfAvailable(SimpleMeterRegistry::new);
    }

    /** Records the decision on {@code inquiry}, as it is after the decision, once the transaction commits. */
    public void decided(Inquiry inquiry) {
        Instant decidedAt = inquiry.respondedAt() != null ? inquiry.respondedAt() : inquiry.updated();
        Timer timer = timer(inquiry.status().wire(), inquiry.assignment() != null);
        Duration took = Duration.between(inquiry.created(), decidedAt);
        Duration elapsed = took.isNegative() ? Duration.ZERO : took;
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    timer.record(elapsed);
                }
            });
        } else {
            timer.record(elapsed);
        }
    }

    private Timer timer(String outcome, boolean assigned) {
        return timers.computeIfAbsent(outcome + "/" + assigned, key -> Timer.builder("attune.inquiry.decision")
                .description("Time from an inquiry's creation to its decision (answer, timeout or cancellation)")
                .tag("outcome", outcome)
                .tag("assigned", Boolean.toString(assigned))
                .serviceLevelObjectives(BUCKETS)
                .register(meters));
    }
}
