package io.attune.api.auth;

import io.attune.core.identity.Actor;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A verified token, with the {@link Actor} it speaks for as the principal ({@code @AuthenticationPrincipal Actor}):
 * a login's {@link org.springframework.security.oauth2.jwt.Jwt} or an API token's
 * {@link io.attune.core.identity.SessionGuard.TokenKey} as the credentials.
 */
final class ActorAuthentication extends AbstractAuthenticationToken {
    private final transient Object token;
    private final transient Actor actor;

    ActorAuthentication(Object token, Actor actor) {
        super(actor.roles().stream().map(role -> new SimpleGrantedAuthority("ROLE_" + role.name())).toList());
        this.token = token;
        this.actor = actor;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return token;
    }

    @Override
    public Object getPrincipal() {
        return actor;
    }

    @Override
    public String getName() {
        return actor.login();
    }
}
