package io.attune.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsTest {

    @Test
    void sumsEverySampleOfACounter() {
        String exposition = """
                # HELP attune_inquiries_opened_total inquiries opened from an execution's __inquiry
                # TYPE attune_inquiries_opened_total counter
                attune_inquiries_opened_total 1234.0
                attune_inquiries_opened_total_created 1.7E9
                attune_outbox_published_total{application="x"} 10.0
                attune_outbox_published_total{application="y"} 5.0
                """;
        assertThat(BenchSuite.sum(exposition, "attune_inquiries_opened_total")).isEqualTo(1234.0);
        assertThat(BenchSuite.sum(exposition, "attune_outbox_published_total")).isEqualTo(15.0);
        assertThat(BenchSuite.sum(exposition, "attune_missing_total")).isZero();
    }
}
