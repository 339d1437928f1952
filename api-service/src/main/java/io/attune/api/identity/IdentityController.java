package io.attune.api.identity;

import io.attune.core.identity.Actor;
import io.attune.model.rest.CreateIdentityRequest;
import io.attune.model.rest.DataResponse;
import io.attune.model.rest.IdentityView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/identities")
@Tag(name = "identities")
public class IdentityController {
    private final IdentityAdmin admin;

    public IdentityController(IdentityAdmin admin) {
        this.admin = admin;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create an identity (admin only); roles default to [\"user\"]")
    @ApiResponse(responseCode = "201", description = "the identity (never its password hash)")
    @ApiResponse(responseCode = "400", description = "invalid login, password (8+ characters), display_name or roles; "
            + "details name each field")
    @ApiResponse(responseCode = "403", description = "the caller is not an admin")
    @ApiResponse(responseCode = "409", description = "the login is taken")
    public DataResponse<IdentityView> create(@RequestBody CreateIdentityRequest request,
                                             @Parameter(hidden = true) @AuthenticationPrincipal Actor actor) {
        return DataResponse.of(admin.create(request, actor).toView());
    }
}
