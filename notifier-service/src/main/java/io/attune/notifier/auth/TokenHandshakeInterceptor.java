package io.attune.notifier.auth;

import io.attune.core.identity.Actor;
import io.attune.core.token.ApiTokens;
import io.attune.core.identity.SessionGuard;
import io.attune.core.identity.SessionGuard.TokenKey;
import io.attune.model.json.Json;
import io.attune.model.rest.ApiError;
import io.attune.model.rest.ErrorCode;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks the token before the upgrade (docs/protocol.md §5): {@code Authorization: Bearer <token>}, or — since browsers
 * cannot set headers on a WebSocket — the subprotocols {@code attune.v1} and {@code attune.jwt.<token>} (the
 * handshake then selects {@code attune.v1}). No token, or one that is malformed, badly signed, expired, logged out,
 * or of a disabled or unknown identity, is refused with 401 and an error body; the socket is never opened. Open
 * sockets are checked again every second by {@link SessionRevalidator}.
 */
@Component
public class TokenHandshakeInterceptor implements HandshakeInterceptor {
    public static final String SUBPROTOCOL = "attune.v1";
    public static final String TOKEN_SUBPROTOCOL_PREFIX = "attune.jwt.";
    private static final String BEARER = "Bearer ";

    private final JwtDecoder decoder;
    private final SessionGuard sessions;
    private final ApiTokens apiTokens;

    public TokenHandshakeInterceptor(JwtDecoder decoder, SessionGuard sessions, ApiTokens apiTokens) {
        this.decoder = decoder;
        this.sessions = sessions;
        this.apiTokens = apiTokens;
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                                   Map<String, Object> attributes) throws IOException {
        String authorization = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        List<String> protocols = subprotocols(request);
        String token;
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
                return refuse(response, ErrorCode.UNAUTHORIZED, "the Authorization header must be 'Bearer <token>'");
            }
            token = authorization.substring(BEARER.length()).trim();
        } else {
            token = protocols.stream().filter(p -> p.startsWith(TOKEN_SUBPROTOCOL_PREFIX))
                    .map(p -> p.substring(TOKEN_SUBPROTOCOL_PREFIX.length())).findFirst().orElse(null);
            if (token != null && !protocols.contains(SUBPROTOCOL)) {
                return refuse(response, ErrorCode.BAD_REQUEST,
                        "offer the subprotocol " + SUBPROTOCOL + " together with " + TOKEN_SUBPROTOCOL_PREFIX + "<token>");
            }
        }
        if (token == null || token.isEmpty()) {
            return refuse(response, ErrorCode.UNAUTHORIZED, "a token is required: 'Authorization: Bearer <token>', or "
                    + "the subprotocols " + SUBPROTOCOL + " and " + TOKEN_SUBPROTOCOL_PREFIX + "<token>");
        }
        if (ApiTokens.isApiToken(token)) {
            return acceptApiToken(token, response, attributes);
        }
        try {
            Jwt jwt = decoder.decode(token);
            Optional<Actor> actor = sessions.check(jwt);
            if (actor.isEmpty()) {
                return refuse(response, ErrorCode.UNAUTHORIZED,
                        "the token was revoked, or its identity is disabled or unknown");
            }
            new Authenticated(actor.get(), jwt.getExpiresAt(), TokenKey.of(jwt)).storeIn(attributes);
            return true;
        } catch (JwtException | IllegalArgumentException e) {
            return refuse(response, ErrorCode.UNAUTHORIZED, "the token is invalid or has expired");
        } catch (DataAccessException e) {
            return refuse(response, ErrorCode.UNAVAILABLE, "the database is unavailable; try again shortly");
        }
    }

    /**
     * An API token (docs/security.md#api-tokens): checked by the same guard, so a revoked one is refused here and its
     * open sockets are closed with 4001 by the {@link SessionRevalidator} like a logged-out JWT's.
     */
    private boolean acceptApiToken(String token, ServerHttpResponse response, Map<String, Object> attributes)
            throws IOException {
        try {
            Optional<TokenKey> key = apiTokens.resolve(token);
            Optional<Actor> actor = key.flatMap(sessions::check);
            if (actor.isEmpty()) {
                return refuse(response, ErrorCode.UNAUTHORIZED,
                        "the API token is unknown, revoked or expired, or its identity is disabled");
            }
            new Authenticated(actor.get(), null, key.get()).storeIn(attributes);
            return true;
        } catch (DataAccessException e) {
            return refuse(response, ErrorCode.UNAVAILABLE, "the database is unavailable; try again shortly");
        }
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                               Exception exception) {
    }

    /** The offered subprotocols, whether sent as one comma-separated header or several. */
    private static List<String> subprotocols(ServerHttpRequest request) {
        List<String> protocols = new ArrayList<>();
        List<String> headers = request.getHeaders().get("Sec-WebSocket-Protocol");
        if (headers != null) {
            for (String header : headers) {
                for (String protocol : header.split(",")) {
                    if (!protocol.isBlank()) {
                        protocols.add(protocol.trim());
                    }
                }
            }
        }
        return protocols;
    }

    private static boolean refuse(ServerHttpResponse response, ErrorCode code, String message) throws IOException {
        response.setStatusCode(HttpStatus.valueOf(code.httpStatus()));
        if (code == ErrorCode.UNAUTHORIZED) {
            response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        response.getBody().write(Json.writeBytes(ApiError.of(code, message)));
        return false;
    }
}
