package io.attune.bench;

import java.util.Arrays;
import java.util.Collection;

/**
 * A set of measured durations (nanoseconds) and their percentiles, nearest-rank: the p-th percentile is the smallest
 * sample that at least p % of the samples do not exceed, so p99 of 200 samples is the 198th smallest.
 */
public final class Latencies {
    private final long[] sorted;

    private Latencies(long[] nanos) {
        this.sorted = nanos.clone();
        Arrays.sort(this.sorted);
    }

    public static Latencies ofNanos(Collection<Long> nanos) {
        return new Latencies(nanos.stream().mapToLong(Long::longValue).toArray());
    }

    public static Latencies ofNanos(long... nanos) {
        return new Latencies(nanos);
    }

    public int count() {
        return sorted.length;
    }

    /** The p-th percentile (0 < p ≤ 100) in nanoseconds; 0 without samples. */
    public long percentile(double p) {
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be in (0, 100], not " + p);
        }
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    public long median() {
        return percentile(50);
    }

    public long p99() {
        return percentile(99);
    }

    public long max() {
        return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
    }

    public double medianMillis() {
        return median() / 1e6;
    }

    public double p99Millis() {
        return p99() / 1e6;
    }

    /** {@code "median 3.1 ms, p99 12.4 ms"}. */
    public String describe() {
        return "median " + Format.millis(median()) + ", p99 " + Format.millis(p99());
    }
}
