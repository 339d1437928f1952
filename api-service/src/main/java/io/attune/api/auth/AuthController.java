package io.attune.api.auth;

import io.attune.model.rest.DataResponse;
import io.attune.model.rest.LoginRequest;
import io.attune.model.rest.TokenResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "auth")
public class AuthController {
    private final Authenticator authenticator;

    public AuthController(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @PostMapping("/auth/login")
    @SecurityRequirements
    @Operation(summary = "Exchange a login and password for a bearer token (HS256 JWT)")
    @ApiResponse(responseCode = "200", description = "the token, its lifetime in seconds and the user")
    @ApiResponse(responseCode = "400", description = "login or password missing")
    @ApiResponse(responseCode = "401", description = "login or password wrong (the same answer for both)")
    public DataResponse<TokenResponse> login(@RequestBody LoginRequest request) {
        return DataResponse.of(authenticator.login(request));
    }
}
