package io.attune.api.channel;

import io.attune.api.web.Paging;
import io.attune.core.channel.Channel;
import io.attune.core.identity.Actor;
import io.attune.model.channel.ChannelView;
import io.attune.model.channel.DeliveryView;
import io.attune.model.rest.DataResponse;
import io.attune.model.rest.PageResponse;
import io.attune.core.channel.ChannelRepository;
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


/** Channels and their deliveries, for admins only (the security chain refuses everyone else with 403). */
@RestController
@RequestMapping("/api/v1/channels")
@Tag(name = "channels")
public class ChannelController {
    private final ChannelAdmin admin;
    private final ChannelRepository channels;
    private final Deliveries deliveries;

    public ChannelController(ChannelAdmin admin, ChannelRepository channels, Deliveries deliveries) {
        this.admin = admin;
        this.channels = channels;
        this.deliveries = deliveries;
    }

    @GetMapping
    @Operation(summary = "Every channel, by id (admin only); secrets shown as ********")
    public PageResponse<ChannelView> list(@RequestParam(defaultValue = "1") int page,
                                          @RequestParam(name = "per_page", defaultValue = "50") int perPage) {
        Paging wanted = Paging.of(page, perPage);
        return PageResponse.of(channels.page(wanted.perPage(), wanted.offset()).stream()
                .map(c -> c.toView(deliveries.status(c))).toList(), channels.count(), page, wanted.perPage());
    }

    @PostMapping
    @Operation(summary = "Create a channel (admin only): {\"type\", \"name\", \"config\", \"filters\"}")
    @ApiResponse(responseCode = "201", description = "the channel, its secrets in clear this once")
    @ApiResponse(responseCode = "400", description = "an invalid type, name, config or filter (each in details)")
    @ApiResponse(responseCode = "409", description = "the name is taken")
    @ApiResponse(responseCode = "422", description = "a filter naming no identity")
    public ResponseEntity<DataResponse<ChannelView>> create(@RequestBody JsonNode body,
                                                            @Parameter(hidden = true) @AuthenticationPrincipal Actor actor) {
        Channel created = admin.create(body, actor);
        return ResponseEntity.created(ServletUriComponentsBuilder.fromCurrentRequestUri().path("/{id}")
                        .buildAndExpand(created.id()).toUri())
                .body(DataResponse.of(created.toViewWithSecrets(deliveries.status(created))));
    }

    @GetMapping("/{id}")
    @Operation(summary = "One channel (admin only); secrets shown as ********")
    @ApiResponse(responseCode = "404", description = "no such channel")
    public DataResponse<ChannelView> get(@PathVariable long id) {
        Channel channel = admin.get(id);
        return DataResponse.of(channel.toView(deliveries.status(channel)));
    }

    @PatchMapping("/{id}")
    @Operation(summary = "Change a channel (admin only): any of name, config, filters, enabled; a secret left out or "
            + "sent as ******** is kept")
    @ApiResponse(responseCode = "404", description = "no such channel")
    @ApiResponse(responseCode = "409", description = "the new name is taken")
    public DataResponse<ChannelView> patch(@PathVariable long id, @RequestBody JsonNode body,
                                           @Parameter(hidden = true) @AuthenticationPrincipal Actor actor) {
        Channel changed = admin.patch(id, body, actor);
        boolean secretsSent = body != null && body.path("config").isObject();
        // a secret set by this request is shown this once, like at creation
        return DataResponse.of(secretsSent && sentNewSecret(changed, body) ? changed.toViewWithSecrets(
                deliveries.status(changed)) : changed.toView(deliveries.status(changed)));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a channel and its deliveries (admin only)")
    @ApiResponse(responseCode = "404", description = "no such channel")
    public void delete(@PathVariable long id, @Parameter(hidden = true) @AuthenticationPrincipal Actor actor) {
        admin.delete(id, actor);
    }

    @PostMapping("/{id}/test")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Send a test message through the channel (admin only); an email goes to the caller")
    @ApiResponse(responseCode = "202", description = "the delivery, as the notifiers will send it")
    @ApiResponse(responseCode = "422", description = "an email channel, and the caller has no email attribute")
    public DataResponse<DeliveryView> test(@PathVariable long id,
                                           @Parameter(hidden = true) @AuthenticationPrincipal Actor actor) {
        long delivery = admin.test(id, actor);
        return DataResponse.of(deliveries.one(id, delivery));
    }

    @GetMapping("/{id}/deliveries")
    @Operation(summary = "The channel's deliveries, newest first, each with its tries (admin only)")
    @ApiResponse(responseCode = "404", description = "no such channel")
    public PageResponse<DeliveryView> deliveries(@PathVariable long id,
                                                 @RequestParam(required = false) String status,
                                                 @RequestParam(defaultValue = "1") int page,
                                                 @RequestParam(name = "per_page", defaultValue = "50") int perPage) {
        admin.get(id);
        return deliveries.log(Deliveries.Target.channel(id), status, Paging.of(page, perPage));
    }

    private static boolean sentNewSecret(Channel changed, JsonNode body) {
        JsonNode config = body.get("config");
        for (String secret : io.attune.core.channel.ChannelConfigRules.secrets(changed.type())) {
            JsonNode value = config.get(secret);
            if (value != null && value.isString()
                    && !io.attune.core.channel.ChannelConfigRules.MASK.equals(value.asString())) {
                return true;
            }
        }
        return false;
    }
}
