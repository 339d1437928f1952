package io.attune.bench;

import java.util.Locale;

/** Numbers as the report prints them: thousands separated by commas, a sensible number of decimals. */
public final class Format {
    private Format() {
    }

    /** {@code 12.3 ms}, {@code 0.84 ms}, {@code 1,204 ms}. */
    public static String millis(long nanos) {
        double ms = nanos / 1e6;
        if (ms >= 100) {
            return String.format(Locale.ROOT, "%,.0f ms", ms);
        }
        if (ms >= 10) {
            return String.format(Locale.ROOT, "%.1f ms", ms);
        }
        return String.format(Locale.ROOT, "%.2f ms", ms);
    }

    /** {@code 4.21 s}. */
    public static String seconds(double seconds) {
        return String.format(Locale.ROOT, "%.2f s", seconds);
    }

    /** {@code 1,234} or {@code 1,234.5} below 100. */
    public static String rate(double perSecond) {
        return perSecond >= 100 ? String.format(Locale.ROOT, "%,.0f", perSecond)
                : String.format(Locale.ROOT, "%,.1f", perSecond);
    }

    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
