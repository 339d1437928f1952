package io.attune.api.auth;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CachingJwtDecoderTest {
    static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    /** A decoder that accepts "good" until it expires an hour from NOW, and counts how often it is asked. */
    static final class CountingDecoder implements JwtDecoder {
        final AtomicInteger asked = new AtomicInteger();
        Instant clock = NOW;

        @Override
        public Jwt decode(String token) {
            asked.incrementAndGet();
            Instant expires = NOW.plus(Duration.ofHours(1));
            if (!"good".equals(token) || !clock.isBefore(expires)) {
                throw new BadJwtException("refused");
            }
            return Jwt.withTokenValue(token).header("alg", "HS256").subject("1").jti("j")
                    .issuedAt(NOW).expiresAt(expires).build();
        }
    }

    @Test
    void aTokenIsVerifiedOnceWhileItIsValidAndRefusedOnceItExpired() {
        CountingDecoder decoder = new CountingDecoder();
        CachingJwtDecoder cached = new CachingJwtDecoder(decoder, Clock.fixed(NOW, ZoneOffset.UTC));
        for (int i = 0; i < 5; i++) {
            assertThat(cached.decode("good").getSubject()).isEqualTo("1");
        }
        assertThat(decoder.asked).hasValue(1);

        Instant later = NOW.plus(Duration.ofHours(1));
        decoder.clock = later;
        CachingJwtDecoder expired = new CachingJwtDecoder(decoder, Clock.fixed(later, ZoneOffset.UTC));
        assertThatThrownBy(() -> expired.decode("good")).isInstanceOf(BadJwtException.class);
    }

    @Test
    void aRememberedTokenIsNotUsedPastItsExpiry() {
        CountingDecoder decoder = new CountingDecoder();
        MutableClock clock = new MutableClock(NOW);
        CachingJwtDecoder cached = new CachingJwtDecoder(decoder, clock);
        cached.decode("good");
        clock.now = NOW.plus(Duration.ofHours(1));
        decoder.clock = clock.now;
        assertThatThrownBy(() -> cached.decode("good")).isInstanceOf(BadJwtException.class);
        assertThat(decoder.asked).hasValue(2);
    }

    @Test
    void aRefusedTokenIsAskedAboutEveryTime() {
        CountingDecoder decoder = new CountingDecoder();
        CachingJwtDecoder cached = new CachingJwtDecoder(decoder, Clock.fixed(NOW, ZoneOffset.UTC));
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> cached.decode("forged")).isInstanceOf(BadJwtException.class);
        }
        assertThat(decoder.asked).hasValue(3);
    }

    static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
