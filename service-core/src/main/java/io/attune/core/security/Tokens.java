package io.attune.core.security;

import io.attune.core.identity.Actor;
import io.attune.core.identity.Identity;
import io.attune.core.identity.Role;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Issues tokens ({@code sub} = identity id, plus login and roles) and reads the actor back out of a verified one. */
public class Tokens {
    static final String ISSUER = "attune";
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

    /** The actor a verified token speaks for. */
    public static Actor actor(Jwt jwt) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        List<String> names = jwt.getClaimAsStringList(ROLES);
        if (names != null) {
            for (String name : names) {
                try {
                    roles.add(Role.fromWire(name));
                } catch (IllegalArgumentException ignored) {
                    // a role this version does not know grants nothing
                }
            }
        }
        return new Actor(Long.parseLong(jwt.getSubject()), jwt.getClaimAsString(LOGIN), roles);
    }

    public record Issued(String token, long expiresInSeconds) {
    }
}
