package io.attune.api.auth;

import io.attune.core.identity.SessionGuard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the throttle's and the revocations' tables small: failed logins older than the throttle's windows and
 * revocations of tokens that have expired anyway say nothing any more. Every replica may run it; deletes are idempotent.
 */
@Component
@EnableScheduling
class SessionHousekeeping {
    private static final Logger log = LoggerFactory.getLogger(SessionHousekeeping.class);

    private final LoginThrottle throttle;
    private final SessionGuard sessions;

    SessionHousekeeping(LoginThrottle throttle, SessionGuard sessions) {
        this.throttle = throttle;
        this.sessions = sessions;
    }

    @Scheduled(initialDelayString = "${attune.sessions.housekeeping-interval:1m}",
            fixedDelayString = "${attune.sessions.housekeeping-interval:1m}")
    void prune() {
        try {
            int failures = throttle.prune();
            int revocations = sessions.pruneExpiredRevocations();
            log.debug("Pruned {} old failed logins and {} expired revocations", failures, revocations);
        } catch (DataAccessException e) {
            log.warn("Pruning failed logins and revocations failed, trying again later: {}", e.getMessage());
        }
    }
}
