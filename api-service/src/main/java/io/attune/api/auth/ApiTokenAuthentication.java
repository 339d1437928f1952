package io.attune.api.auth;

import io.attune.core.identity.Actor;
import io.attune.core.token.ApiTokens;
import io.attune.core.identity.SessionGuard;
import io.attune.core.identity.SessionGuard.TokenKey;
import org.springframework.dao.DataAccessException;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

import java.util.Optional;

/**
 * Requests authenticated by an API token ({@code attune_…}, docs/security.md#api-tokens): the principal is the
 * {@link Actor} the guard says the token speaks for now (role {@code user}), the credentials its {@link TokenKey}.
 */
final class ApiTokenAuthentication {
    private ApiTokenAuthentication() {
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
                return new ActorAuthentication(key, actor.get());
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
