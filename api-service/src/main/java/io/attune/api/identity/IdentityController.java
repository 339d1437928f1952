package io.attune.api.identity;

import io.attune.api.web.Paging;
import io.attune.core.identity.Actor;
import io.attune.core.error.DomainException;
import io.attune.core.identity.Identity;
import io.attune.core.identity.IdentityRepository;
import io.attune.model.rest.CreateIdentityRequest;
import io.attune.model.rest.DataResponse;
import io.attune.model.rest.IdentityView;
import io.attune.model.rest.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Identities, for admins only (the security chain refuses everyone else with 403). */
@RestController
@RequestMapping("/api/v1/identities")
@Tag(name = "identities")
public class IdentityController {
    private final IdentityAdmin admin;
    private final IdentityRepository identities;

    public IdentityController(IdentityAdmin admin, IdentityRepository identities) {
        this.admin = admin;
        this.identities = identities;
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

    @GetMapping
    @Operation(summary = "Every identity, by id (admin only)")
    @ApiResponse(responseCode = "200", description = "a page: data, total, page, per_page, pages")
    @ApiResponse(responseCode = "400", description = "page or per_page below 1 or not an integer")
    public PageResponse<IdentityView> list(@RequestParam(defaultValue = "1") int page,
                                           @RequestParam(name = "per_page", defaultValue = ""
                                                   + Paging.DEFAULT_PER_PAGE) int perPage) {
        Paging wanted = Paging.of(page, perPage);
        long total = identities.count();
        return PageResponse.of(identities.page(wanted.page(), wanted.perPage()).stream().map(Identity::toView)
                .toList(), total, wanted.page(), wanted.perPage());
    }

    @GetMapping("/{id}")
    @Operation(summary = "One identity (admin only)")
    @ApiResponse(responseCode = "200", description = "the identity: roles, groups, disabled, attributes")
    @ApiResponse(responseCode = "404", description = "no such identity")
    public DataResponse<IdentityView> get(@PathVariable long id) {
        return DataResponse.of(identities.findById(id)
                .orElseThrow(() -> DomainException.notFound("identity " + id + " not found")).toView());
    }

    @PatchMapping("/{id}")
    @Operation(summary = "Change an identity (admin only): any of display_name, roles, groups, disabled, password, "
            + "attributes", description = "groups replaces the identity's groups; attributes are merged key by key "
            + "(null removes one). Disabling, and role and group changes, hold on every service within 5 seconds.")
    @ApiResponse(responseCode = "200", description = "the identity as changed")
    @ApiResponse(responseCode = "400", description = "an unknown field or an invalid value; details name each")
    @ApiResponse(responseCode = "404", description = "no such identity")
    @ApiResponse(responseCode = "409", description = "it would leave no enabled admin")
    @ApiResponse(responseCode = "422", description = "a group that does not exist")
    public DataResponse<IdentityView> patch(@PathVariable long id, @RequestBody JsonNode body,
                                             @Parameter(hidden = true) @AuthenticationPrincipal Actor actor) {
        return DataResponse.of(admin.patch(id, body, actor).toView());
    }
}
