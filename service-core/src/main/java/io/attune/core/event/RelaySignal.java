package io.attune.core.event;

import org.springframework.stereotype.Component;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Wakes the relay of this process as soon as a transaction with events commits (so events leave in milliseconds). */
@Component
public class RelaySignal {
    private final Semaphore pending = new Semaphore(0);

    public void wake() {
        if (pending.availablePermits() == 0) {
            pending.release();
        }
    }

    /** Waits until woken or until the timeout; drains other wake-ups that came meanwhile. */
    boolean await(long millis) throws InterruptedException {
        boolean woken = pending.tryAcquire(millis, TimeUnit.MILLISECONDS);
        pending.drainPermits();
        return woken;
    }
}
