package io.attune.api.identity;

import io.attune.core.error.DomainException;
import io.attune.core.identity.Actor;
import io.attune.core.identity.IdentityRepository;
import io.attune.model.rest.DataResponse;
import io.attune.model.rest.MeView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "identities")
public class MeController {
    private final IdentityRepository identities;

    public MeController(IdentityRepository identities) {
        this.identities = identities;
    }

    @GetMapping("/api/v1/me")
    @Operation(summary = "The caller: id, login, display_name, roles and groups as they are now")
    @ApiResponse(responseCode = "200", description = "the caller")
    public DataResponse<MeView> me(@Parameter(hidden = true) @AuthenticationPrincipal Actor actor) {
        MeView me = identities.findById(actor.id())
                .orElseThrow(() -> DomainException.notFound("identity " + actor.id() + " not found")).toMeView();
        // the roles the caller acts with: an API token's are user only, whatever its identity's (docs/security.md)
        return DataResponse.of(new MeView(me.id(), me.login(), me.displayName(),
                actor.roles().stream().map(io.attune.core.identity.Role::wire).sorted().toList(), me.groups()));
    }
}
