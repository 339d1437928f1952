package io.attune.core.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * {@code attune.jwt.*}: the HS256 secret api-service and notifier-service share ({@code ATTUNE_JWT_SECRET}) and how
 * long a token lives ({@code ATTUNE_JWT_EXPIRY}, at most {@link #MAX_EXPIRY}). A service that checks tokens refuses
 * to start without a secret of at least 32 bytes, or with a lifetime that is not positive or longer than a day: a
 * stolen token must not outlive the day it was stolen on, and logging out is the only other way to end one.
 */
@ConfigurationProperties("attune.jwt")
public record TokenSettings(String secret, Duration expiry) {
    public static final int MIN_SECRET_BYTES = 32;
    public static final Duration MAX_EXPIRY = Duration.ofHours(24);

    public TokenSettings {
        expiry = expiry == null ? Duration.ofHours(1) : expiry;
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new IllegalStateException("ATTUNE_JWT_SECRET must be set to a secret of at least " + MIN_SECRET_BYTES
                    + " bytes (it signs and checks the HS256 tokens); refusing to start without one");
        }
        if (expiry.isNegative() || expiry.isZero() || expiry.compareTo(MAX_EXPIRY) > 0) {
            throw new IllegalStateException("ATTUNE_JWT_EXPIRY must be positive and at most 24h, not " + expiry
                    + "; refusing to start");
        }
    }

    public byte[] secretBytes() {
        return secret.getBytes(StandardCharsets.UTF_8);
    }
}
