package io.attune.api.auth;

import io.attune.core.identity.Actor;
import io.attune.core.token.ApiTokens;
import io.attune.core.identity.SessionGuard;
import io.attune.model.rest.DataResponse;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import io.attune.model.rest.LoginRequest;
import io.attune.model.rest.TokenResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.CurrentSecurityContext;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "auth")
public class AuthController {
    private final Authenticator authenticator;
    private final ApiTokens apiTokens;

    public AuthController(Authenticator authenticator, ApiTokens apiTokens) {
        this.authenticator = authenticator;
        this.apiTokens = apiTokens;
    }

    @PostMapping("/auth/login")
    @SecurityRequirements
    @Operation(summary = "Exchange a login and password for a bearer token (HS256 JWT)")
    @ApiResponse(responseCode = "200", description = "the token, its lifetime in seconds and the user")
    @ApiResponse(responseCode = "400", description = "login or password missing")
    @ApiResponse(responseCode = "401", description = "login or password wrong (the same answer for both), or the "
            + "identity is disabled")
    @ApiResponse(responseCode = "429", description = "too many failed logins for this name (5 in 15 minutes) or from "
            + "this address (30 in a minute); Retry-After says how many seconds to wait")
    public DataResponse<TokenResponse> login(@RequestBody LoginRequest request, HttpServletRequest http) {
        return DataResponse.of(authenticator.login(request, http.getRemoteAddr()));
    }

    @PostMapping("/auth/logout")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Revoke the token this request presents; it is refused everywhere from then on")
    @ApiResponse(responseCode = "204", description = "revoked")
    @ApiResponse(responseCode = "401", description = "no valid token")
    public void logout(@Parameter(hidden = true)
                       @CurrentSecurityContext(expression = "authentication.credentials") Object token,
                       @Parameter(hidden = true) @AuthenticationPrincipal Actor actor) {
        if (token instanceof Jwt jwt) {
            authenticator.logout(jwt);
        } else if (token instanceof SessionGuard.TokenKey key) {
            // an API token logging out revokes itself, as an admin's DELETE /api/v1/tokens/{id} would
            ApiTokens.idOf(key).ifPresent(id -> apiTokens.revoke(id, actor));
        }
    }
}
