package io.attune.core.background;

import java.util.function.IntSupplier;

/** Set-based sweeps (timeouts, escalations, reminders) take due rows a batch per transaction until none is left. */
public final class Batches {
    private Batches() {
    }

    /**
     * Runs {@code oneBatch} (which takes at most {@code size} rows and says how many it took) until a batch comes back
     * short, so that nothing due is left for the next tick; returns how many were taken in all.
     */
    public static int drain(int size, IntSupplier oneBatch) {
        int total = 0;
        int taken;
        do {
            taken = oneBatch.getAsInt();
            total += taken;
        } while (taken == size);
        return total;
    }
}
