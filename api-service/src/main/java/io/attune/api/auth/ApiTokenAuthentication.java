package io.attune.api.auth;

import io.attune.core.identity.Actor;
import io.attune.core.token.ApiTokens;
import io.attune.core.identity.SessionGuard;
import io.attune.core.identity.SessionGuard.TokenKey;
import org.springframework.dao.DataAccessException;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

import java.util.Optional;

/**
 * A request authenticated by an API token ({@code attune_…}, docs/security.md#api-tokens): the principal is the
 * {@link Actor} the guard says the token speaks for now (role {@code user}), the credentials its {@link TokenKey}.
 */
public final class ApiTokenAuthentication extends AbstractAuthenticationToken {
    private final transient TokenKey key;
    private final transient Actor actor;

    ApiTokenAuthentication(TokenKey key, Actor actor) {
        super(actor.roles().stream().map(role -> new SimpleGrantedAuthority("ROLE_" + role.name())).toList());
        this.key = key;
        this.actor = actor;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return key;
    }

    @Override
    public Object getPrincipal() {
        return actor;
    }

    @Override
    public String getName() {
        return actor.login();
    }

    /** Answers for bearer tokens that are API tokens; returns null for any other (a JWT), as providers do. */
    static final class Provider implements AuthenticationProvider {
        private final ApiTokens tokens;
        private final SessionGuard sessions;

        Provider(ApiTokens tokens, SessionGuard sessions) {
            this.tokens = tokens;
            this.sessions = sessions;
        }

        @Override
        public Authentication authenticate(Authentication authentication) {
            String token = ((BearerTokenAuthenticationToken) authentication).getToken();
            if (!ApiTokens.isApiToken(token)) {
                return null;
            }
            try {
                TokenKey key = tokens.resolve(token)
                        .orElseThrow(() -> new InvalidBearerTokenException("the token is not a valid API token"));
                Optional<Actor> actor = sessions.check(key);
                if (actor.isEmpty()) {
                    throw new InvalidBearerTokenException("the API token was revoked or has expired, or its identity "
                            + "is disabled");
                }
                tokens.recordUse(key);
                return new ApiTokenAuthentication(key, actor.get());
            } catch (DataAccessException e) {
                throw new AuthenticationServiceException("the database is unavailable", e);
            }
        }

        @Override
        public boolean supports(Class<?> authentication) {
            return BearerTokenAuthenticationToken.class.isAssignableFrom(authentication);
        }
    }
}
