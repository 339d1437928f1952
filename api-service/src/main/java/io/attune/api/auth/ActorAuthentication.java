package io.attune.api.auth;

import io.attune.core.identity.Actor;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

/** A verified token, with the {@link Actor} it speaks for as the principal ({@code @AuthenticationPrincipal Actor}). */
final class ActorAuthentication extends AbstractAuthenticationToken {
    private final transient Jwt token;
    private final transient Actor actor;

    ActorAuthentication(Jwt token, Actor actor) {
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
