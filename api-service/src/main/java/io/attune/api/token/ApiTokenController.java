package io.attune.api.token;

import io.attune.core.identity.Actor;
import io.attune.core.token.ApiTokens;
import io.attune.model.rest.ApiTokenView;
import io.attune.model.rest.CreateApiTokenRequest;
import io.attune.model.rest.CreatedApiToken;
import io.attune.model.rest.DataResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;

/** API tokens for machines (admin only, by the security configuration); every decision is {@link ApiTokens}'. */
@RestController
@RequestMapping("/api/v1/tokens")
@Tag(name = "tokens")
public class ApiTokenController {
    private final ApiTokens tokens;

    public ApiTokenController(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @PostMapping
    @Operation(summary = "Make a long-lived API token for an identity (admin); the token is shown only in this answer")
    @ApiResponse(responseCode = "201", description = "the token's listing and \"token\"")
    @ApiResponse(responseCode = "400", description = "name missing or too long, expires_at not in the future")
    @ApiResponse(responseCode = "403", description = "not an admin")
    @ApiResponse(responseCode = "422", description = "identity_id names no identity, or a disabled one")
    public ResponseEntity<DataResponse<CreatedApiToken>> create(
            @RequestBody CreateApiTokenRequest request,
            @Parameter(hidden = true) @AuthenticationPrincipal Actor actor) {
        CreatedApiToken created = tokens.create(request.name(), request.identityId(), request.expiresAt(), actor);
        return ResponseEntity.status(HttpStatus.CREATED).location(URI.create("/api/v1/tokens/" + created.id()))
                .body(DataResponse.of(created));
    }

    @GetMapping
    @Operation(summary = "Every API token, newest first, with its last use (never the token)")
    public DataResponse<List<ApiTokenView>> list() {
        return DataResponse.of(tokens.list());
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Revoke an API token: refused everywhere within 5 seconds (open sockets closed with 4001)")
    @ApiResponse(responseCode = "200", description = "the revoked token's listing (revoking twice changes nothing)")
    @ApiResponse(responseCode = "404", description = "no such token")
    public DataResponse<ApiTokenView> revoke(@PathVariable long id,
                                             @Parameter(hidden = true) @AuthenticationPrincipal Actor actor) {
        return DataResponse.of(tokens.revoke(id, actor));
    }
}
