package io.attune.api.auth;

import io.attune.core.error.DomainException;
import io.attune.model.rest.ErrorCode;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.Optional;

/**
 * Throttles password guessing, with its state in the database so that every api-service replica counts the same
 * failures: after {@code 5} failed logins for one login name within 15 minutes, that name is refused until the oldest
 * of those failures leaves the window; after 30 failures from one client address within a minute, every login from
 * it is refused until the oldest of those leaves the window. A refused attempt is answered before any password hash
 * is computed and is not itself counted, so hammering does not prolong the refusal.
 *
 * <p>An attempt is recorded as a failure <em>before</em> its password is checked, and the record is removed when the
 * password turns out right. Deciding and recording happen under transaction-scoped advisory locks on the name and the
 * address, so concurrent attempts — on any replica — can never check more than the allowed number of passwords.
 */
@Component
public class LoginThrottle {
    /** Advisory lock classes (the two-integer key space, which never meets the outbox relay's one-bigint key). */
    private static final int NAME_LOCK = 0x41744c6e;
    private static final int ADDRESS_LOCK = 0x41744164;
    /** The longest a login name is stored as (longer ones are no login anyway). */
    private static final int MAX_STORED_LOGIN = 128;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Rule perName;
    private final Rule perAddress;

    public LoginThrottle(JdbcClient jdbc, TransactionTemplate transactions,
                         @Value("${attune.login.max-failures-per-name:5}") int nameFailures,
                         @Value("${attune.login.name-window:15m}") Duration nameWindow,
                         @Value("${attune.login.max-failures-per-address:30}") int addressFailures,
                         @Value("${attune.login.address-window:1m}") Duration addressWindow) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.perName = new Rule("login", nameFailures, nameWindow);
        this.perAddress = new Rule("address", addressFailures, addressWindow);
    }

    /**
     * Records the attempt as a failure unless it is refused; returns its record, to {@link #succeeded} or
     * {@link #abandoned} when the password matched or could not be checked. 429 {@code RATE_LIMITED} when refused.
     */
    public long begin(String login, String address) {
        // Postgres text holds no U+0000, and a name longer than any login only needs to be told apart from others
        String cleaned = login.replace('\u0000', '\uFFFD');
        String name = cleaned.length() > MAX_STORED_LOGIN ? cleaned.substring(0, MAX_STORED_LOGIN) : cleaned;
        Long attempt = transactions.execute(status -> {
            jdbc.sql("SELECT pg_advisory_xact_lock(?, hashtext(?))").params(NAME_LOCK, name).query(Object.class).list();
            jdbc.sql("SELECT pg_advisory_xact_lock(?, hashtext(?))").params(ADDRESS_LOCK, address)
                    .query(Object.class).list();
            Optional<Long> waitAddress = retryAfter(perAddress, address);
            if (waitAddress.isPresent()) {
                throw new RateLimited("too many failed logins from this address; try again in " + waitAddress.get()
                        + " s", waitAddress.get());
            }
            Optional<Long> waitName = retryAfter(perName, name);
            if (waitName.isPresent()) {
                throw new RateLimited("too many failed logins for this login; try again in " + waitName.get() + " s",
                        waitName.get());
            }
            return jdbc.sql("INSERT INTO attune.login_failure (login, address) VALUES (?, ?) RETURNING id")
                    .params(name, address).query(Long.class).single();
        });
        return attempt;
    }

    /** The password was right: the attempt was no failure. */
    public void succeeded(long attempt) {
        jdbc.sql("DELETE FROM attune.login_failure WHERE id = ?").param(attempt).update();
    }

    /** The password could not be checked (the server was too busy): not the client's failure either. */
    public void abandoned(long attempt) {
        succeeded(attempt);
    }

    /** Forgets failures older than either window; how many. */
    public int prune() {
        Duration longest = perName.window().compareTo(perAddress.window()) > 0 ? perName.window() : perAddress.window();
        return jdbc.sql("DELETE FROM attune.login_failure WHERE occurred < now() - make_interval(secs => ?)")
                .param((double) longest.toSeconds()).update();
    }

    /**
     * Seconds until the rule lets the key in again, or empty when it does now: the rule is broken while the
     * {@code max}-th newest failure is inside the window, and mends when that failure leaves it.
     */
    private Optional<Long> retryAfter(Rule rule, String key) {
        List<Long> wait = jdbc.sql("SELECT ceil(extract(epoch FROM occurred + make_interval(secs => ?) - now()))::bigint "
                        + "FROM attune.login_failure WHERE " + rule.column() + " = ? "
                        + "AND occurred > now() - make_interval(secs => ?) ORDER BY occurred DESC OFFSET ? LIMIT 1")
                .params((double) rule.window().toSeconds(), key, (double) rule.window().toSeconds(), rule.max() - 1)
                .query(Long.class).list();
        return wait.stream().findFirst().map(seconds -> Math.max(1, seconds));
    }

    private record Rule(String column, int max, Duration window) {
    }

    /** 429 {@code RATE_LIMITED}, answered with {@code Retry-After: seconds}. */
    public static final class RateLimited extends DomainException {
        private final long retryAfterSeconds;

        RateLimited(String message, long retryAfterSeconds) {
            super(ErrorCode.RATE_LIMITED, message, List.of());
            this.retryAfterSeconds = retryAfterSeconds;
        }

        @Override
        public OptionalLong retryAfterSeconds() {
            return OptionalLong.of(retryAfterSeconds);
        }
    }
}
