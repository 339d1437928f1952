package io.attune.notifier.session;

/**
 * A token bucket: {@code burst} subscribes at once, then {@code perSecond}. Not thread-safe (the session guards it).
 */
final class SubscribeAllowance {
    private final double burst;
    private final double perNano;
    private double tokens;
    private long lastRefill;

    SubscribeAllowance(int burst, double perSecond) {
        this.burst = burst;
        this.perNano = perSecond / 1_000_000_000d;
        this.tokens = burst;
        this.lastRefill = System.nanoTime();
    }

    /** Takes one subscribe from the allowance; false when there is none left. */
    boolean take(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - lastRefill) * perNano);
        lastRefill = nowNanos;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
