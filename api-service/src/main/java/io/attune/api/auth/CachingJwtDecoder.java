package io.attune.api.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The token decoder, remembering the tokens it verified: a client sends the same token with every request, and
 * checking its signature and claims again each time was a fifth of the api's CPU per answer (a JFR profile of the
 * benchmark's open loop). A remembered token is used only until it expires, by this process's clock; after that it is
 * decoded again, so the decoder alone decides what an expired token gets. Whether the token still speaks for someone
 * (logout, a disabled identity) is not decided here but by the session guard on every request, as before.
 */
final class CachingJwtDecoder implements JwtDecoder {
    private final JwtDecoder decoder;
    private final Clock clock;
    private final Cache<String, Jwt> verified = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(10))
            .build();

    CachingJwtDecoder(JwtDecoder decoder, Clock clock) {
        this.decoder = decoder;
        this.clock = clock;
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt known = verified.getIfPresent(token);
        Instant now = clock.instant();
        if (known != null && known.getExpiresAt() != null && now.isBefore(known.getExpiresAt())) {
            return known;
        }
        Jwt jwt = decoder.decode(token); // throws for a bad token: nothing is remembered then
        if (jwt.getExpiresAt() != null && now.isBefore(jwt.getExpiresAt())) {
            verified.put(token, jwt);
        }
        return jwt;
    }
}
