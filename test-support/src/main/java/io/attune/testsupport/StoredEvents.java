package io.attune.testsupport;

/**
 * The stored event trail as tests ask about it: which events the outbox relay has yet to publish. The relay records
 * the last id it published in {@code attune.event_relay} (V27), not in each event.
 */
public final class StoredEvents {
    /** How many stored events are not published yet: without an id, or with one after the relay's mark. */
    public static final String COUNT_UNPUBLISHED = "SELECT count(*) FROM attune.event "
            + "WHERE id IS NULL OR id > (SELECT published_through FROM attune.event_relay)";

    /**
     * Records every event that has an id as published, for events a test inserts with their ids (what a long run
     * leaves behind); run it in the inserting transaction, or the relay publishes them meanwhile.
     */
    public static final String ALL_PUBLISHED = "UPDATE attune.event_relay "
            + "SET published_through = greatest(published_through, (SELECT coalesce(max(id), 0) FROM attune.event))";

    private StoredEvents() {
    }
}
