package io.attune.api.web;

import io.attune.core.error.Failures;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * Tells a database that is away or busy (503, try again) from a request the database refused (400) and from our
 * defects; what counts as an outage is decided by {@link Failures}, for every service alike.
 */
public final class DatabaseFailures {
    private DatabaseFailures() {
    }

    /** The database cannot be reached, or gave this request up for others' (a deadlock): worth retrying. */
    public static boolean isUnavailable(Throwable failure) {
        return Failures.isOutage(failure) || Failures.isContention(failure);
    }

    /** A value from the request that Postgres cannot store (a {@code \u0000} in a JSON string, say). */
    static boolean isUnstorableValue(DataIntegrityViolationException failure) {
        return Failures.isUnstorableValue(failure);
    }
}
