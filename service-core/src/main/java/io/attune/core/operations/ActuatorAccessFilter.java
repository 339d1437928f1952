package io.attune.core.operations;

import io.attune.core.identity.Actor;
import io.attune.core.identity.SessionGuard;
import io.attune.model.json.Json;
import io.attune.model.rest.ApiError;
import io.attune.model.rest.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.dao.DataAccessException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.security.Principal;
import java.util.Optional;
import java.util.Set;

/**
 * Who may read the actuator on a service's own port: {@code /actuator/health} answers everyone, with its details only for an admin token (Spring Boot's {@code when-authorized}, which
 * asks this filter's {@link #isUserInRole}); every other actuator endpoint needs an admin token (401 without a valid
 * one, 403 for a non-admin). Tokens are checked as everywhere else: signature, issuer, expiry, and the
 * {@link SessionGuard} (identity enabled, token not revoked, admin role in the database now).
 *
 * <p>A service configured without a token secret can check no token: only the health status is served on its port,
 * and the rest is on the management port ({@code ATTUNE_MANAGEMENT_PORT}, loopback by default), which
 * {@link ManagementPortAccess} opens to whoever can reach it.
 */
public class ActuatorAccessFilter extends OncePerRequestFilter implements Ordered {
    static final String ADMIN_ROLE = "ADMIN";
    private static final Logger log = LoggerFactory.getLogger(ActuatorAccessFilter.class);
    private static final Set<String> PUBLIC = Set.of("/actuator/health");
    private static final String BEARER = "Bearer ";

    private final JwtDecoder decoder;
    private final SessionGuard sessions;

    /** {@code decoder} is null when this service has no token secret. */
    public ActuatorAccessFilter(JwtDecoder decoder, SessionGuard sessions) {
        this.decoder = decoder;
        this.sessions = sessions;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 2;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = path(request);
        return !(path.equals("/actuator") || path.startsWith("/actuator/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean open = PUBLIC.contains(path(request));
        String authorization = request.getHeader("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            if (open) {
                chain.doFilter(request, response);
            } else {
                refuse(response, ErrorCode.UNAUTHORIZED, decoder == null
                        ? "this service checks no tokens (no ATTUNE_JWT_SECRET): read it on its management port"
                        : "an admin token is required: send Authorization: Bearer <token>");
            }
            return;
        }
        Optional<Actor> actor;
        try {
            actor = decoder == null ? Optional.empty()
                    : sessions.check(decoder.decode(authorization.substring(BEARER.length()).trim()));
        } catch (JwtException | IllegalArgumentException e) {
            actor = Optional.empty();
        } catch (DataAccessException e) {
            log.warn("Cannot check a token for {}: {}", path(request), e.getMessage());
            if (open) { // the health status says the database is down; no token is needed to learn that
                chain.doFilter(request, response);
            } else {
                refuse(response, ErrorCode.UNAVAILABLE, "the database is unavailable; try again shortly");
            }
            return;
        }
        if (actor.isPresent() && actor.get().isAdmin()) {
            chain.doFilter(asAdmin(request, actor.get().login()), response);
        } else if (open && actor.isPresent()) {
            chain.doFilter(request, response);
        } else if (actor.isPresent()) {
            refuse(response, ErrorCode.FORBIDDEN, "this needs the admin role");
        } else {
            refuse(response, ErrorCode.UNAUTHORIZED, "the access token is invalid or has expired; log in again");
        }
    }

    /** The request as an admin's: what Spring Boot's health endpoint asks before it shows details. */
    static HttpServletRequest asAdmin(HttpServletRequest request, String login) {
        Principal principal = () -> login;
        return new HttpServletRequestWrapper(request) {
            @Override
            public Principal getUserPrincipal() {
                return principal;
            }

            @Override
            public boolean isUserInRole(String role) {
                return ADMIN_ROLE.equals(role) || super.isUserInRole(role);
            }
        };
    }

    private static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }

    private static void refuse(HttpServletResponse response, ErrorCode code, String message) throws IOException {
        response.setStatus(code.httpStatus());
        if (code == ErrorCode.UNAUTHORIZED) {
            response.setHeader("WWW-Authenticate", "Bearer");
        }
        response.setContentType("application/json");
        response.getOutputStream().write(Json.writeBytes(ApiError.of(code, message)));
    }
}
