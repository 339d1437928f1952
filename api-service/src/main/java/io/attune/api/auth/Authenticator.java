package io.attune.api.auth;

import io.attune.core.error.DomainException;
import io.attune.core.identity.Identity;
import io.attune.core.identity.IdentityRepository;
import io.attune.core.security.Tokens;
import io.attune.model.rest.ErrorCode;
import io.attune.model.rest.LoginRequest;
import io.attune.model.rest.TokenResponse;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Checks a login and password against the stored BCrypt hash and issues a token. */
@Service
public class Authenticator {
    /** What the database accepts as a login (its CHECK constraint). */
    public static final Pattern LOGIN = Pattern.compile("^[A-Za-z0-9._@-]{1,64}$");
    /** BCrypt reads no more than 72 bytes of a password. */
    public static final int MAX_PASSWORD_BYTES = 72;
    /** The same answer for an unknown login and a wrong password, so that logins cannot be probed. */
    static final String REFUSED = "login or password is wrong";

    private final IdentityRepository identities;
    private final PasswordEncoder passwords;
    private final Tokens tokens;
    /** Checked against when the login is unknown, so that both refusals take as long. */
    private final String decoyHash;

    public Authenticator(IdentityRepository identities, PasswordEncoder passwords, Tokens tokens) {
        this.identities = identities;
        this.passwords = passwords;
        this.tokens = tokens;
        this.decoyHash = passwords.encode("decoy password for unknown logins");
    }

    public TokenResponse login(LoginRequest request) {
        if (request.login() == null || request.login().isEmpty() || request.password() == null) {
            throw DomainException.badRequest("login and password are required");
        }
        boolean plausible = LOGIN.matcher(request.login()).matches()
                && request.password().getBytes(StandardCharsets.UTF_8).length <= MAX_PASSWORD_BYTES;
        Optional<Identity> identity = plausible ? identities.findByLogin(request.login()) : Optional.empty();
        boolean matches = passwords.matches(plausible ? request.password() : "",
                identity.map(Identity::passwordHash).orElse(decoyHash));
        if (identity.isEmpty() || !matches) {
            throw new DomainException(ErrorCode.UNAUTHORIZED, REFUSED, List.of());
        }
        Tokens.Issued issued = tokens.issue(identity.get());
        return TokenResponse.bearer(issued.token(), issued.expiresInSeconds(), identity.get().toUserView());
    }
}
