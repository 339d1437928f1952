package io.attune.executor.reminder;

import io.attune.core.background.Sweep;
import io.attune.core.inquiry.InquiryTransitions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.util.UUID;

/**
 * The reminder sweep (docs/policies.md#reminders): every {@code attune.inquiry.reminder.check-interval} it reminds of
 * the pending inquiries whose {@code remind_every_seconds} period has come round, a batch per transaction, until none
 * is due. Every replica runs one; the core's sweep skips rows another replica holds, so each reminder goes out once.
 * A failed sweep (database down) is logged and tried again on the next tick.
 */
@Component
@EnableScheduling
@EnableConfigurationProperties(ReminderSettings.class)
public class ReminderSweeper {
    private static final Logger log = LoggerFactory.getLogger(ReminderSweeper.class);

    private final Sweep sweep;

    public ReminderSweeper(InquiryTransitions transitions, ReminderSettings settings, MeterRegistry meters) {
        this.sweep = new Sweep(log, "Reminder sweep", settings.checkInterval(), settings.batchSize(),
                () -> transitions.remindDue(settings.batchSize(), UUID.randomUUID()),
                Counter.builder("attune.inquiries.reminded")
                        .description("reminders of pending inquiries sent by this replica").register(meters),
                null,
                Counter.builder("attune.inquiry.reminder.check.failures")
                        .description("reminder sweeps that failed and wait for the next tick").register(meters),
                "Reminded of {} pending inquiries");
    }

    @Scheduled(fixedDelayString = "${attune.inquiry.reminder.check-interval:5s}")
    void onSchedule() {
        sweep.tick();
    }

    /** Sends every due reminder, batch after batch; returns how many this replica sent. */
    public int sweep() {
        return sweep.run();
    }
}
