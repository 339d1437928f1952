package io.attune.core.security;

import io.attune.core.identity.Identity;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import javax.crypto.spec.SecretKeySpec;
import java.time.Instant;
import java.util.UUID;

/**
 * Issues tokens: {@code sub} = identity id, {@code iss} = {@code attune}, a unique {@code jti} (what logging out
 * revokes), {@code iat}, {@code exp}, plus login and roles for clients to display. What a token may do is never read
 * from it: {@link io.attune.core.identity.SessionGuard} asks the database who the identity is now.
 */
public class Tokens {
    public static final String ISSUER = "attune";
    static final String LOGIN = "login";
    static final String ROLES = "roles";

    private final JwtEncoder encoder;
    private final TokenSettings settings;

    public Tokens(JwtEncoder encoder, TokenSettings settings) {
        this.encoder = encoder;
        this.settings = settings;
    }

    public Issued issue(Identity identity) {
        Instant now = Instant.now();
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .issuer(ISSUER)
                .id(UUID.randomUUID().toString())
                .subject(Long.toString(identity.id()))
                .issuedAt(now)
                .expiresAt(now.plus(settings.expiry()))
                .claim(LOGIN, identity.login())
                .claim(ROLES, identity.roleNames())
                .build();
        String token = encoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims))
                .getTokenValue();
        return new Issued(token, settings.expiry().toSeconds());
    }

    /**
     * The decoder every service checks tokens with: HS256 signature, {@code exp}/{@code nbf} (60 s of clock skew),
     * {@code iss} = {@code attune}, and a {@code jti} and {@code sub} present.
     */
    public static JwtDecoder decoder(byte[] secret) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(new SecretKeySpec(secret, "HmacSHA256"))
                .macAlgorithm(MacAlgorithm.HS256).build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(ISSUER),
                new JwtClaimValidator<String>(JwtClaimNames.JTI, jti -> jti != null && !jti.isBlank()),
                new JwtClaimValidator<String>(JwtClaimNames.SUB, sub -> sub != null && sub.matches("[1-9][0-9]{0,17}"))));
        return decoder;
    }

    public record Issued(String token, long expiresInSeconds) {
    }
}
