package io.attune.api.identity;

import io.attune.api.web.Paging;
import io.attune.core.identity.Actor;
import io.attune.core.identity.GroupRepository;
import io.attune.model.rest.DataResponse;
import io.attune.model.rest.GroupView;
import io.attune.model.rest.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import tools.jackson.databind.JsonNode;

/** Groups of identities, for admins only (the security chain refuses everyone else with 403). */
@RestController
@RequestMapping("/api/v1/groups")
@Tag(name = "groups")
public class GroupController {
    private final GroupAdmin admin;
    private final GroupRepository groups;

    public GroupController(GroupAdmin admin, GroupRepository groups) {
        this.admin = admin;
        this.groups = groups;
    }

    @GetMapping
    @Operation(summary = "Every group, by name (admin only)")
    @ApiResponse(responseCode = "200", description = "a page: data, total, page, per_page, pages")
    public PageResponse<GroupView> list(@RequestParam(defaultValue = "1") int page,
                                        @RequestParam(name = "per_page", defaultValue = ""
                                                + Paging.DEFAULT_PER_PAGE) int perPage) {
        Paging wanted = Paging.of(page, perPage);
        long total = groups.count();
        return PageResponse.of(groups.page(wanted.page(), wanted.perPage()).stream()
                .map(GroupRepository.Group::toView).toList(), total, wanted.page(), wanted.perPage());
    }

    @PostMapping
    @Operation(summary = "Create a group (admin only): {\"name\", \"members\": [identity ids]}")
    @ApiResponse(responseCode = "201", description = "the group; Location names it")
    @ApiResponse(responseCode = "400", description = "a missing or invalid name, members not an array of ids")
    @ApiResponse(responseCode = "409", description = "the name is taken")
    @ApiResponse(responseCode = "422", description = "a member id that names no identity")
    public ResponseEntity<DataResponse<GroupView>> create(@RequestBody JsonNode body,
                                                        @Parameter(hidden = true) @AuthenticationPrincipal Actor actor) {
        GroupView created = admin.create(body, actor).toView();
        return ResponseEntity.created(ServletUriComponentsBuilder.fromCurrentRequestUri().path("/{name}")
                .buildAndExpand(created.name()).toUri()).body(DataResponse.of(created));
    }

    @GetMapping("/{name}")
    @Operation(summary = "One group (admin only)")
    @ApiResponse(responseCode = "404", description = "no such group")
    public DataResponse<GroupView> get(@PathVariable String name) {
        return DataResponse.of(admin.get(name).toView());
    }

    @PatchMapping("/{name}")
    @Operation(summary = "Rename a group or replace its members (admin only): any of name, members")
    @ApiResponse(responseCode = "404", description = "no such group")
    @ApiResponse(responseCode = "409", description = "the new name is taken")
    @ApiResponse(responseCode = "422", description = "a member id that names no identity")
    public DataResponse<GroupView> patch(@PathVariable String name, @RequestBody JsonNode body,
                                   @Parameter(hidden = true) @AuthenticationPrincipal Actor actor) {
        return DataResponse.of(admin.patch(name, body, actor).toView());
    }

    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a group (admin only); its members lose the membership")
    @ApiResponse(responseCode = "204", description = "deleted")
    @ApiResponse(responseCode = "404", description = "no such group")
    public void delete(@PathVariable String name, @Parameter(hidden = true) @AuthenticationPrincipal Actor actor) {
        admin.delete(name, actor);
    }
}
