package io.attune.api.auth;

import io.attune.core.identity.Actor;
import io.attune.core.identity.SessionGuard;
import jakarta.servlet.DispatcherType;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import io.attune.core.token.ApiTokens;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.HttpStatusRequestRejectedHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.servlet.HandlerExceptionResolver;

import java.util.Optional;

/**
 * Stateless bearer-token security (Spring Security's resource server with the core's HS256 Nimbus decoder): every
 * {@code /api/v1} call needs a valid token, identities, groups and channels need the admin role, login, the health status, the
 * OpenAPI document and the static UI are public, and anything not listed needs a token too. A token is valid only
 * while the {@link SessionGuard} says so (identity present and enabled, not logged out); the roles it grants are the
 * database's. Actuator endpoints other than the health status are guarded by the core's actuator filter.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {
    static final String LOGIN = "/auth/login";
    static final String SIGNED_LINKS = "/a/*";
    static final String SLACK_INTERACTIONS = "/integrations/slack/interactions";
    static final String CSP = "Content-Security-Policy";
    static final String[] PUBLIC_GETS = {"/", "/index.html", "/favicon.ico", "/app/**",
            "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**"};
    /**
     * The Content-Security-Policy of every response, as a header (a meta tag cannot set frame-ancestors, and covers
     * only the page that carries it): the web UI's (the same as its meta tag) everywhere but under Swagger UI, which
     * also needs inline styles. Nothing is ever loaded from elsewhere.
     */
    static final String UI_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";
    static final String SWAGGER_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";
    private static final RequestMatcher SWAGGER = request -> {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.equals("/swagger-ui.html") || path.startsWith("/swagger-ui/");
    };

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, JwtDecoder decoder, SessionGuard sessions, ApiTokens apiTokens,
                                    @Qualifier("handlerExceptionResolver") HandlerExceptionResolver errors)
            throws Exception {
        // 401 and 403 are answered like every other error, by ApiExceptionHandler (web) through Spring MVC's resolver
        AuthenticationEntryPoint unauthenticated = (request, response, failure) ->
                errors.resolveException(request, response, null, failure);
        AccessDeniedHandler forbidden = (request, response, denied) ->
                errors.resolveException(request, response, null, denied);
        AuthenticationManager bearerTokens = bearerTokens(decoder, sessions, apiTokens);
        http.csrf(csrf -> csrf.disable()) // no cookies, no sessions: a bearer token cannot be forged cross-site
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .headers(headers -> headers
                        .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(SWAGGER,
                                new StaticHeadersWriter(CSP, SWAGGER_POLICY)))
                        .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(new NegatedRequestMatcher(SWAGGER),
                                new StaticHeadersWriter(CSP, UI_POLICY)))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER)))
                .authorizeHttpRequests(auth -> auth
                        // an async dispatch (a ?wait= answer) continues a request that was authorised already
                        .dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.FORWARD, DispatcherType.ASYNC)
                        .permitAll()
                        .requestMatchers("/error").permitAll()
                        .requestMatchers(HttpMethod.POST, LOGIN).permitAll()
                        // the token in the path is the credential (docs/security.md, signed links)
                        .requestMatchers(HttpMethod.GET, SIGNED_LINKS).permitAll()
                        .requestMatchers(HttpMethod.HEAD, SIGNED_LINKS).permitAll()
                        .requestMatchers(HttpMethod.POST, SIGNED_LINKS).permitAll()
                        // verified by Slack's request signature instead of a token
                        .requestMatchers(HttpMethod.POST, SLACK_INTERACTIONS).permitAll()
                        .requestMatchers(HttpMethod.GET, PUBLIC_GETS).permitAll()
                        .requestMatchers(HttpMethod.HEAD, PUBLIC_GETS).permitAll()
                        // the core's actuator filter has let through only what the caller may see
                        .requestMatchers("/actuator", "/actuator/**").permitAll()
                        .requestMatchers("/api/v1/identities", "/api/v1/identities/**").hasRole("ADMIN")
                        .requestMatchers("/api/v1/groups", "/api/v1/groups/**").hasRole("ADMIN")
                        .requestMatchers("/api/v1/channels", "/api/v1/channels/**").hasRole("ADMIN")
                        .requestMatchers("/api/v1/tokens", "/api/v1/tokens/**").hasRole("ADMIN")
                        .anyRequest().authenticated())
                .oauth2ResourceServer(resource -> resource
                        .bearerTokenResolver(ignoringTokensOnLogin())
                        .authenticationManagerResolver(request -> bearerTokens)
                        .authenticationEntryPoint(unauthenticated)
                        .accessDeniedHandler(forbidden))
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint(unauthenticated)
                        .accessDeniedHandler(forbidden));
        return http.build();
    }

    /**
     * JWTs (from a login) and API tokens (for machines, {@code attune_…}) alike: the API-token provider answers for
     * its tokens and passes on anything else (null), which the JWT provider then decodes.
     */
    static AuthenticationManager bearerTokens(JwtDecoder decoder, SessionGuard sessions, ApiTokens apiTokens) {
        JwtAuthenticationProvider jwts = new JwtAuthenticationProvider(new CachingJwtDecoder(decoder,
                java.time.Clock.systemUTC()));
        jwts.setJwtAuthenticationConverter(new ActorConverter(sessions));
        return new ProviderManager(new ApiTokenAuthentication.Provider(apiTokens, sessions), jwts);
    }

    /**
     * A login must work whatever stale token the client still sends along, so tokens are not read there; nor on the
     * routes whose credential is something else (a signed link's token, Slack's signature).
     */
    static BearerTokenResolver ignoringTokensOnLogin() {
        DefaultBearerTokenResolver tokens = new DefaultBearerTokenResolver();
        return request -> {
            String path = request.getServletPath();
            boolean otherCredential = path.startsWith("/a/") || SLACK_INTERACTIONS.equals(path);
            return (HttpMethod.POST.matches(request.getMethod()) && LOGIN.equals(path)) || otherCredential
                    ? null : tokens.resolve(request);
        };
    }

    /**
     * No observation per security filter: the chain's dozen filters each made one on every request (a fifth of the
     * api's CPU per answer in a JFR profile of the benchmark's open loop) and nothing reads them; requests are still
     * observed once as a whole ({@code http.server.requests}).
     */
    @Bean
    SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.noObservations();
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

    /**
     * A verified token becomes the actor the database says it speaks for now; a token of an unknown, deleted or
     * disabled identity, or one that was logged out, is refused like a bad one. A database that cannot be asked is
     * a 503, not a 401.
     */
    static final class ActorConverter implements Converter<Jwt, AbstractAuthenticationToken> {
        private final SessionGuard sessions;

        ActorConverter(SessionGuard sessions) {
            this.sessions = sessions;
        }

        @Override
        public AbstractAuthenticationToken convert(Jwt jwt) {
            Optional<Actor> actor;
            try {
                actor = sessions.check(jwt);
            } catch (IllegalArgumentException e) {
                throw new InvalidBearerTokenException("the token does not name an identity");
            } catch (DataAccessException e) {
                throw new AuthenticationServiceException("the database is unavailable", e);
            }
            return new ActorAuthentication(jwt, actor.orElseThrow(() -> new InvalidBearerTokenException(
                    "the token's identity is disabled or unknown, or the token was revoked")));
        }
    }
}
