package io.attune.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LatenciesTest {

    @Test
    void nearestRankPercentilesOfOneToTwoHundred() {
        List<Long> samples = new ArrayList<>();
        for (long i = 1; i <= 200; i++) {
            samples.add(i);
        }
        Collections.shuffle(samples);
        Latencies latencies = Latencies.ofNanos(samples);
        assertThat(latencies.count()).isEqualTo(200);
        assertThat(latencies.median()).isEqualTo(100);
        assertThat(latencies.p99()).isEqualTo(198);
        assertThat(latencies.percentile(100)).isEqualTo(200);
        assertThat(latencies.max()).isEqualTo(200);
    }

    @Test
    void smallSets() {
        assertThat(Latencies.ofNanos(7).median()).isEqualTo(7);
        assertThat(Latencies.ofNanos(7).p99()).isEqualTo(7);
        assertThat(Latencies.ofNanos(1, 2).median()).isEqualTo(1);
        assertThat(Latencies.ofNanos(3, 1, 2).median()).isEqualTo(2);
        // one slow request in a hundred is the p99; in a hundred and one it is beyond it
        long[] hundred = new long[100];
        java.util.Arrays.fill(hundred, 5);
        hundred[42] = 1_000;
        assertThat(Latencies.ofNanos(hundred).p99()).isEqualTo(5);
        assertThat(Latencies.ofNanos(hundred).percentile(100)).isEqualTo(1_000);
    }

    @Test
    void emptyIsZero() {
        assertThat(Latencies.ofNanos().median()).isZero();
        assertThat(Latencies.ofNanos().p99()).isZero();
        assertThat(Latencies.ofNanos().count()).isZero();
    }

    @Test
    void refusesPercentilesOutsideTheRange() {
        assertThatThrownBy(() -> Latencies.ofNanos(1).percentile(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Latencies.ofNanos(1).percentile(101)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void describesInMilliseconds() {
        assertThat(Latencies.ofNanos(1_500_000, 2_500_000, 45_000_000).describe())
                .isEqualTo("median 2.50 ms, p99 45.0 ms");
        assertThat(Format.millis(1_234_000_000L)).isEqualTo("1,234 ms");
        assertThat(Format.rate(1234.4)).isEqualTo("1,234");
        assertThat(Format.rate(12.34)).isEqualTo("12.3");
    }
}
