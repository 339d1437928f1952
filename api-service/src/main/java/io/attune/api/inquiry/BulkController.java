package io.attune.api.inquiry;

import io.attune.core.error.DomainException;
import io.attune.core.identity.Actor;
import io.attune.core.inquiry.InquiryTransitions;
import io.attune.model.rest.ApiError.ErrorDetail;
import io.attune.model.rest.BulkRequest;
import io.attune.model.rest.BulkResult;
import io.attune.model.rest.DataResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code POST /api/v1/inquiries/bulk} (docs/policies.md "Bulk"): each id is decided by the very call the single
 * endpoint makes ({@link InquiryTransitions#respond} / {@link InquiryTransitions#cancel}), in its own transaction,
 * and its refusal becomes that item's status; one inquiry's refusal never stops the others.
 */
@RestController
@RequestMapping("/api/v1/inquiries")
@Tag(name = "inquiries")
public class BulkController {
    private final InquiryTransitions transitions;

    public BulkController(InquiryTransitions transitions) {
        this.transitions = transitions;
    }

    @PostMapping("/bulk")
    @Operation(summary = "Answer or cancel up to 100 inquiries; each one is decided as the single call decides it")
    @ApiResponse(responseCode = "200", description = "one result per id, in order: status 200, 403, 404, 409 or 422")
    @ApiResponse(responseCode = "400", description = "malformed body, or respond without \"response\"")
    @ApiResponse(responseCode = "422", description = "no ids, more than 100, or an unknown action")
    public DataResponse<List<BulkResult>> bulk(@RequestBody BulkRequest body,
                                               @RequestHeader(name = InquiryController.CORRELATION_HEADER,
                                                       required = false) UUID correlationId,
                                               @Parameter(hidden = true) @AuthenticationPrincipal Actor actor) {
        boolean respond = check(body);
        List<BulkResult> results = new ArrayList<>(body.ids().size());
        for (Long id : body.ids()) {
            UUID correlation = correlationId == null ? UUID.randomUUID() : correlationId;
            try {
                if (respond) {
                    transitions.respond(id, actor, body.response(), correlation);
                } else {
                    transitions.cancel(id, actor, correlation);
                }
                results.add(BulkResult.ok(id));
            } catch (DomainException refused) {
                results.add(new BulkResult(id, refused.code().httpStatus(), refused.getMessage(), refused.code(),
                        refused.details()));
            }
        }
        return DataResponse.of(results);
    }

    /** The request as a whole: whether it responds (else it cancels); a malformed one is refused entirely. */
    private static boolean check(BulkRequest body) {
        if (body == null) {
            throw DomainException.badRequest("the body must be {\"action\", \"ids\", \"response\"}");
        }
        List<ErrorDetail> problems = new ArrayList<>();
        boolean respond = "respond".equals(body.action());
        if (!respond && !"cancel".equals(body.action())) {
            problems.add(new ErrorDetail("/action", "action must be \"respond\" or \"cancel\""));
        }
        if (body.ids() == null || body.ids().isEmpty() || body.ids().size() > BulkRequest.MAX_IDS) {
            problems.add(new ErrorDetail("/ids", "ids must list 1 to " + BulkRequest.MAX_IDS + " inquiry ids"
                    + (body.ids() == null ? "" : ", not " + body.ids().size())));
        } else {
            for (int i = 0; i < body.ids().size(); i++) {
                if (body.ids().get(i) == null) {
                    problems.add(new ErrorDetail("/ids/" + i, "an inquiry id is an integer"));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw DomainException.validation("invalid bulk request", problems);
        }
        if (respond && (body.response() == null || body.response().isNull())) {
            throw DomainException.badRequest("the body must hold the answer in \"response\"");
        }
        return respond;
    }
}
