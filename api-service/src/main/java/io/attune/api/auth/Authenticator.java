package io.attune.api.auth;

import io.attune.core.error.DomainException;
import io.attune.core.identity.Identity;
import io.attune.core.identity.IdentityRepository;
import io.attune.core.identity.SessionGuard;
import io.attune.core.security.Tokens;
import io.attune.model.rest.ErrorCode;
import io.attune.model.rest.LoginRequest;
import io.attune.model.rest.TokenResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Service;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Checks a login and password against the stored BCrypt hash and issues a token; logs tokens out. Attempts pass the
 * {@link LoginThrottle} before any hash is computed, and at most {@code attune.login.concurrent-hashes} hashes
 * (default: one per core) are computed at once, so unauthenticated requests cannot take every core.
 */
@Service
public class Authenticator {
    /** What the database accepts as a login (its CHECK constraint). */
    public static final Pattern LOGIN = Pattern.compile("^[A-Za-z0-9._@-]{1,64}$");
    /** BCrypt reads no more than 72 bytes of a password. */
    public static final int MAX_PASSWORD_BYTES = 72;
    /** The same answer for an unknown login and a wrong password, so that logins cannot be probed. */
    static final String REFUSED = "login or password is wrong";
    /** How long an attempt waits for a free hashing slot before the server says it is busy. */
    private static final Duration HASH_WAIT = Duration.ofSeconds(10);

    private final IdentityRepository identities;
    private final PasswordEncoder passwords;
    private final Tokens tokens;
    private final LoginThrottle throttle;
    private final SessionGuard sessions;
    private final Semaphore hashing;
    /** Checked against when the login is unknown, so that both refusals take as long. */
    private final String decoyHash;

    public Authenticator(IdentityRepository identities, PasswordEncoder passwords, Tokens tokens,
                         LoginThrottle throttle, SessionGuard sessions,
                         @Value("${attune.login.concurrent-hashes:0}") int concurrentHashes) {
        this.identities = identities;
        this.passwords = passwords;
        this.tokens = tokens;
        this.throttle = throttle;
        this.sessions = sessions;
        this.hashing = new Semaphore(concurrentHashes > 0 ? concurrentHashes
                : Runtime.getRuntime().availableProcessors(), true);
        this.decoyHash = passwords.encode("decoy password for unknown logins");
    }

    public TokenResponse login(LoginRequest request, String clientAddress) {
        if (request.login() == null || request.login().isEmpty() || request.password() == null) {
            throw DomainException.badRequest("login and password are required");
        }
        long attempt = throttle.begin(request.login(), clientAddress);
        boolean plausible = LOGIN.matcher(request.login()).matches()
                && request.password().getBytes(StandardCharsets.UTF_8).length <= MAX_PASSWORD_BYTES;
        Optional<Identity> identity = plausible ? identities.findByLogin(request.login()) : Optional.empty();
        boolean matches = matches(plausible ? request.password() : "",
                identity.map(Identity::passwordHash).orElse(decoyHash), attempt);
        if (identity.isEmpty() || !matches) {
            throw new DomainException(ErrorCode.UNAUTHORIZED, REFUSED, List.of());
        }
        throttle.succeeded(attempt);
        if (identity.get().disabled()) {
            // only someone who knows the password learns that the identity exists and is disabled
            throw new DomainException(ErrorCode.UNAUTHORIZED, "this identity is disabled; ask an admin", List.of());
        }
        Tokens.Issued issued = tokens.issue(identity.get());
        return TokenResponse.bearer(issued.token(), issued.expiresInSeconds(), identity.get().toUserView());
    }

    /** Revokes the presented token: from now on (within seconds on other services) it is refused everywhere. */
    public void logout(Jwt token) {
        sessions.revoke(token);
    }

    private boolean matches(String password, String hash, long attempt) {
        try {
            if (!hashing.tryAcquire(HASH_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throttle.abandoned(attempt);
                throw new DomainException(ErrorCode.UNAVAILABLE, "too many logins at once; try again shortly",
                        List.of());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throttle.abandoned(attempt);
            throw new DomainException(ErrorCode.UNAVAILABLE, "the server is shutting down", List.of());
        }
        try {
            return passwords.matches(password, hash);
        } finally {
            hashing.release();
        }
    }
}
