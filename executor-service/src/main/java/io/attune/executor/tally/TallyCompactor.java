package io.attune.executor.tally;

import io.attune.core.background.Sweep;
import io.attune.core.inquiry.InquiryRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the inquiry tally small (docs/executor.md, "Tally compaction"): every database backend that changes inquiries
 * counts them in rows of its own, so that no two transactions wait on one row; every
 * {@code attune.inquiry.tally.compact-interval} this folds those rows into one per status and assignee. Every replica
 * runs one; the fold skips the rows another holds. A failure is logged and tried again on the next tick.
 */
@Component
@EnableScheduling
@EnableConfigurationProperties(TallySettings.class)
public class TallyCompactor {
    private static final Logger log = LoggerFactory.getLogger(TallyCompactor.class);

    private final Sweep sweep;

    public TallyCompactor(InquiryRepository inquiries, TallySettings settings, MeterRegistry meters) {
        // one statement folds every row it can: a "batch" as large as the table
        this.sweep = new Sweep(log, "Tally compaction", settings.compactInterval(), Integer.MAX_VALUE,
                inquiries::compactTally,
                Counter.builder("attune.inquiry.tally.folded")
                        .description("per-backend rows of the inquiry tally folded into one per status and assignee")
                        .register(meters),
                null,
                Counter.builder("attune.inquiry.tally.compaction.failures")
                        .description("tally compactions that failed and wait for the next tick").register(meters),
                "Folded {} rows of the inquiry tally");
    }

    @Scheduled(fixedDelayString = "${attune.inquiry.tally.compact-interval:60s}",
            initialDelayString = "${attune.inquiry.tally.compact-interval:60s}")
    void onSchedule() {
        sweep.tick();
    }

    /** Folds every row no writer holds now; returns how many rows it moved. */
    public int compact() {
        return sweep.run();
    }
}
