package io.attune.notifier.notification;

import org.springframework.stereotype.Component;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The id of the newest event this replica's feed has handed to its sessions: a subscribe that cannot read the trail's
 * newest id (the database is away) reports this as its position instead — every later event still reaches the
 * session live or by a replay from it.
 */
@Component
public class FeedProgress {
    private final AtomicLong dispatchedThrough = new AtomicLong();

    public void advanceTo(long eventId) {
        dispatchedThrough.accumulateAndGet(eventId, Math::max);
    }

    public long dispatchedThrough() {
        return dispatchedThrough.get();
    }
}
