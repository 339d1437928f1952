package io.attune.notifier.session;

import io.attune.core.background.DaemonThreads;
import io.attune.notifier.auth.Authenticated;
import io.attune.core.identity.Actor;
import io.attune.core.identity.SessionGuard;
import io.attune.core.identity.SessionGuard.TokenKey;
import io.attune.notifier.session.CloseCodes;
import io.attune.notifier.session.SessionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Checks every open socket's token again, every {@code attune.notifier.revalidate-interval} (default 1 s), against
 * the {@link SessionGuard}: a socket whose token was logged out, or whose identity is disabled or gone, is closed with
 * 4001; one whose identity's roles or groups changed is closed with 4003 so that it reconnects (with since) and sees
 * what it may see now. With the guard's two-second cache, a change is acted on within about three seconds.
 */
@Component
public class SessionRevalidator implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(SessionRevalidator.class);

    private final SessionRegistry registry;
    private final SessionGuard guard;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("notifier-revalidate-"));

    public SessionRevalidator(SessionRegistry registry, SessionGuard guard,
                              @Value("${attune.notifier.revalidate-interval:1s}") Duration interval) {
        this.registry = registry;
        this.guard = guard;
        timer.scheduleWithFixedDelay(this::revalidate, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    void revalidate() {
        try {
            List<Authenticated> open = registry.authentications();
            if (open.isEmpty()) {
                return;
            }
            Map<TokenKey, Optional<Actor>> now = guard.checkAll(open.stream().map(Authenticated::token).toList());
            // only the sockets whose tokens were just checked are judged: one that opened meanwhile was checked as
            // it opened, and has no entry here (it is not "no longer valid")
            int refused = registry.closeWhere(who -> now.containsKey(who.token()) && now.get(who.token()).isEmpty(),
                    new CloseStatus(CloseCodes.TOKEN_EXPIRED, "token no longer valid: log in again"));
            int changed = registry.closeWhere(who -> now.getOrDefault(who.token(), Optional.empty())
                            .filter(actor -> !actor.roles().equals(who.actor().roles())
                                    || !actor.groups().equals(who.actor().groups())).isPresent(),
                    new CloseStatus(CloseCodes.PERMISSIONS_CHANGED, "roles or groups changed: reconnect with since"));
            if (refused + changed > 0) {
                log.info("Closed {} socket(s) whose token is no longer valid and {} whose permissions changed",
                        refused, changed);
            }
        } catch (RuntimeException e) { // a periodic task that throws is never run again; the database may be away
            log.warn("Revalidating open sockets failed, trying again: {}", e.getMessage());
        }
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
    }
}
