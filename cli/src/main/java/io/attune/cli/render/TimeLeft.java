package io.attune.cli.render;

import java.time.Duration;
import java.time.Instant;

/** "29m 12s", "2h 5m", "3d 4h": how long a pending inquiry still waits for an answer. */
public final class TimeLeft {
    private TimeLeft() {
    }

    /** Time until {@code timeoutAt}; "expired" once past; "no limit" without one. */
    public static String until(Instant timeoutAt, Instant now) {
        if (timeoutAt == null) {
            return "no limit";
        }
        Duration left = Duration.between(now, timeoutAt);
        if (left.isNegative() || left.isZero()) {
            return "expired";
        }
        return duration(left);
    }

    public static String duration(Duration duration) {
        long seconds = Math.max(0, (duration.toMillis() + 999) / 1000);
        long days = seconds / 86_400;
        long hours = seconds % 86_400 / 3_600;
        long minutes = seconds % 3_600 / 60;
        long rest = seconds % 60;
        if (days > 0) {
            return days + "d " + hours + "h";
        }
        if (hours > 0) {
            return hours + "h " + minutes + "m";
        }
        if (minutes > 0) {
            return minutes + "m " + rest + "s";
        }
        return rest + "s";
    }
}
