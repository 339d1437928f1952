package io.attune.api.auth;

import io.attune.core.identity.Actor;
import io.attune.core.security.Tokens;
import jakarta.servlet.DispatcherType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.HttpStatusRequestRejectedHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Stateless bearer-token security (Spring Security's resource server with the core's HS256 Nimbus decoder): every
 * {@code /api/v1} call needs a valid token, creating identities needs the admin role, login, health, metrics, the
 * OpenAPI document and the static UI are public, and anything not listed needs a token too.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {
    static final String LOGIN = "/auth/login";
    static final String[] PUBLIC_GETS = {"/", "/index.html", "/favicon.ico", "/app/**",
            "/actuator/health", "/actuator/health/**", "/actuator/info", "/actuator/prometheus",
            "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**"};

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, JwtDecoder decoder) throws Exception {
        JsonSecurityErrors errors = new JsonSecurityErrors();
        http.csrf(csrf -> csrf.disable()) // no cookies, no sessions: a bearer token cannot be forged cross-site
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .authorizeHttpRequests(auth -> auth
                        .dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.FORWARD).permitAll()
                        .requestMatchers("/error").permitAll()
                        .requestMatchers(HttpMethod.POST, LOGIN).permitAll()
                        .requestMatchers(HttpMethod.GET, PUBLIC_GETS).permitAll()
                        .requestMatchers(HttpMethod.HEAD, PUBLIC_GETS).permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/v1/identities", "/api/v1/identities/**")
                        .hasRole("ADMIN")
                        .anyRequest().authenticated())
                .oauth2ResourceServer(resource -> resource
                        .bearerTokenResolver(ignoringTokensOnLogin())
                        .jwt(jwt -> jwt.decoder(decoder).jwtAuthenticationConverter(new ActorConverter()))
                        .authenticationEntryPoint(errors)
                        .accessDeniedHandler(errors))
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint(errors)
                        .accessDeniedHandler(errors));
        return http.build();
    }

    /** A login must work whatever stale token the client still sends along, so tokens are not read there. */
    static BearerTokenResolver ignoringTokensOnLogin() {
        DefaultBearerTokenResolver tokens = new DefaultBearerTokenResolver();
        return request -> HttpMethod.POST.matches(request.getMethod()) && LOGIN.equals(request.getServletPath())
                ? null : tokens.resolve(request);
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder();
    }

    /** URLs the firewall rejects (encoded slashes, "..", …) are the client's mistake: 400, not Spring's 500. */
    @Bean
    RequestRejectedHandler requestRejectedHandler() {
        return new HttpStatusRequestRejectedHandler(HttpStatus.BAD_REQUEST.value());
    }

    /** A verified token becomes the actor it names; a token that names no identity is refused like a bad one. */
    static final class ActorConverter implements Converter<Jwt, AbstractAuthenticationToken> {
        @Override
        public AbstractAuthenticationToken convert(Jwt jwt) {
            Actor actor;
            try {
                actor = Tokens.actor(jwt);
            } catch (RuntimeException e) {
                throw new InvalidBearerTokenException("the token does not name an identity");
            }
            return new ActorAuthentication(jwt, actor);
        }
    }
}
