package io.attune.api.external;

import io.attune.api.web.Paging;
import io.attune.api.channel.Deliveries;
import io.attune.api.inquiry.InquiryController;
import io.attune.core.error.DomainException;
import io.attune.core.external.ExternalRequests;
import io.attune.core.identity.Actor;
import io.attune.model.channel.DeliveryView;
import io.attune.model.rest.ApiError.ErrorDetail;
import io.attune.model.rest.DataResponse;
import io.attune.model.rest.ErrorCode;
import io.attune.model.rest.InquiryView;
import io.attune.model.rest.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Approval requests from outside: ask ({@code POST}), wait for the decision ({@code GET …?wait=N}), and follow the
 * delivery of the decision to the request's callback ({@code GET …/callback/deliveries}).
 */
@RestController
@RequestMapping("/api/v1/inquiries")
@Tag(name = "inquiries")
public class ExternalRequestController {
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    public static final String REPLAYED = "Idempotent-Replayed";
    /** The longest {@code ?wait=}, in seconds. */
    public static final int MAX_WAIT_SECONDS = 60;

    private final ExternalRequests requests;
    private final InquiryWaits waits;
    private final Deliveries deliveries;

    public ExternalRequestController(ExternalRequests requests, InquiryWaits waits, Deliveries deliveries) {
        this.requests = requests;
        this.waits = waits;
        this.deliveries = deliveries;
    }

    @PostMapping
    @Operation(summary = "Ask a person from outside the suite (a CI pipeline, another system)",
            description = "The body is an __inquiry (prompt, response_schema, assigned_to, timeout_seconds, …) plus "
                    + "context (shown to the approver, the execution's result) and callback {url, secret}. Records an "
                    + "execution external.request requested by the caller, paused on the new inquiry. With "
                    + "Idempotency-Key, the same request again answers 200 with the inquiry it made.")
    @ApiResponse(responseCode = "201", description = "the inquiry; Location names it")
    @ApiResponse(responseCode = "200", description = "a replay of an earlier request with the same Idempotency-Key")
    @ApiResponse(responseCode = "400", description = "not a JSON object, an unknown field, a bad Idempotency-Key")
    @ApiResponse(responseCode = "409", description = "the Idempotency-Key was used with another body")
    @ApiResponse(responseCode = "413", description = "prompt over 4 KiB, response_schema over 64 KiB, context over "
            + "256 KiB")
    @ApiResponse(responseCode = "422", description = "an invalid field; details name each (JSON pointers)")
    public ResponseEntity<DataResponse<InquiryView>> ask(
            @RequestBody JsonNode body,
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
            @RequestHeader(name = InquiryController.CORRELATION_HEADER, required = false) UUID correlationId,
            @Parameter(hidden = true) @AuthenticationPrincipal Actor actor) {
        ExternalRequests.Created created = requests.create(body, actor, idempotencyKey, correlationId);
        DataResponse<InquiryView> answer = DataResponse.of(created.inquiry().toView());
        if (created.replayed()) {
            return ResponseEntity.ok().header(REPLAYED, "true").body(answer);
        }
        return ResponseEntity.status(HttpStatus.CREATED)
                .location(URI.create("/api/v1/inquiries/" + created.inquiry().id())).body(answer);
    }

    @GetMapping(value = "/{id}", params = "wait")
    @Operation(summary = "The inquiry, as soon as it is no longer pending or after wait seconds (at most "
            + MAX_WAIT_SECONDS + ")",
            description = "A long poll: answers at once when the inquiry is decided, else when it is decided, else "
                    + "after wait seconds with it still pending. Holds no thread or database connection meanwhile.")
    @ApiResponse(responseCode = "200", description = "the inquiry: decided, or still pending after wait seconds")
    @ApiResponse(responseCode = "400", description = "wait is not an integer from 0 to " + MAX_WAIT_SECONDS)
    @ApiResponse(responseCode = "404", description = "no such inquiry, or it is another user's")
    @ApiResponse(responseCode = "429", description = "this identity has too many waits open; Retry-After")
    @ApiResponse(responseCode = "503", description = "this replica has too many waits open; Retry-After")
    public DeferredResult<Object> detailWhenDecided(
            @PathVariable long id,
            @Parameter(description = "seconds to wait for a decision, 0 to " + MAX_WAIT_SECONDS)
            @RequestParam(name = "wait") int waitSeconds,
            @Parameter(hidden = true) @AuthenticationPrincipal Actor actor) {
        if (waitSeconds < 0 || waitSeconds > MAX_WAIT_SECONDS) {
            throw new DomainException(ErrorCode.BAD_REQUEST, "invalid parameter: wait must be 0 to "
                    + MAX_WAIT_SECONDS + " seconds",
                    List.of(new ErrorDetail("wait", "must be from 0 to " + MAX_WAIT_SECONDS + ", not " + waitSeconds)));
        }
        return waits.await(id, actor, Duration.ofSeconds(waitSeconds));
    }

    @GetMapping("/{id}/callback/deliveries")
    @Operation(summary = "The deliveries of the decision to the request's callback, newest first, each with its tries",
            description = "For an admin and the identity that made the request: the same log as a channel's "
                    + "(status pending, delivered, failed or not_sent; page, per_page up to 100).")
    @ApiResponse(responseCode = "400", description = "status is not pending, delivered, failed or not_sent; page or "
            + "per_page below 1")
    @ApiResponse(responseCode = "403", description = "the caller sees the inquiry but neither is an admin nor made the "
            + "request")
    @ApiResponse(responseCode = "404", description = "no such inquiry, another user's, or one asked without a callback")
    public PageResponse<DeliveryView> callbackDeliveries(
            @PathVariable long id,
            @Parameter(description = "pending, delivered, failed or not_sent") @RequestParam(required = false)
            String status,
            @RequestParam(defaultValue = "1") int page,
            @RequestParam(name = "per_page", defaultValue = "50") int perPage,
            @Parameter(hidden = true) @AuthenticationPrincipal Actor actor) {
        String target = requests.callbackTargetFor(id, actor);
        return deliveries.log(Deliveries.Target.callback(target), status, Paging.of(page, perPage));
    }
}
