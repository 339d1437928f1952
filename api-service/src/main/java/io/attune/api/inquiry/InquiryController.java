package io.attune.api.inquiry;

import io.attune.core.error.DomainException;
import io.attune.core.external.ExternalRequests;
import io.attune.core.identity.Actor;
import io.attune.core.inquiry.AuditRepository;
import io.attune.core.inquiry.Inquiry;
import io.attune.core.inquiry.InquiryQuery;
import io.attune.core.inquiry.InquiryRepository;
import io.attune.core.inquiry.InquiryTransitions;
import io.attune.core.workflow.WorkflowRepository;
import io.attune.model.InquiryStatus;
import io.attune.model.rest.ApiError.ErrorDetail;
import io.attune.model.rest.AuditEntryView;
import io.attune.model.rest.DataResponse;
import io.attune.model.rest.ErrorCode;
import io.attune.model.rest.InquirySummary;
import io.attune.model.rest.InquiryView;
import io.attune.model.rest.InquiryWorkflow;
import io.attune.model.rest.PageResponse;
import io.attune.model.rest.RespondRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The seed's inquiry endpoints; every decision is the core's ({@link InquiryTransitions}). */
@RestController
@RequestMapping("/api/v1/inquiries")
@Tag(name = "inquiries")
public class InquiryController {
    public static final String CORRELATION_HEADER = "X-Correlation-Id";
    static final String RESPONDED = "Response submitted successfully";

    private final InquiryTransitions transitions;
    private final InquiryRepository inquiries;
    private final AuditRepository audit;
    private final WorkflowRepository workflows;
    private final ExternalRequests externalRequests;

    public InquiryController(InquiryTransitions transitions, InquiryRepository inquiries, AuditRepository audit,
                             WorkflowRepository workflows, ExternalRequests externalRequests) {
        this.externalRequests = externalRequests;
        this.transitions = transitions;
        this.inquiries = inquiries;
        this.audit = audit;
        this.workflows = workflows;
    }

    @GetMapping
    @Operation(summary = "List the inquiries you may see, newest first",
            description = "Admins see every inquiry, others those assigned to them or to nobody. per_page above "
                    + InquiryQuery.MAX_PER_PAGE + " is served as " + InquiryQuery.MAX_PER_PAGE + ".")
    @ApiResponse(responseCode = "200", description = "a page: data, total, page, per_page, pages")
    @ApiResponse(responseCode = "400", description = "a parameter is not of its type, or status is not a status")
    public PageResponse<InquirySummary> list(
            @Parameter(description = "pending, responded, timeout or cancelled")
            @RequestParam(required = false) InquiryStatus status,
            @Parameter(description = "execution id") @RequestParam(required = false) Long execution,
            @Parameter(description = "identity id of the assignee")
            @RequestParam(name = "assigned_to", required = false) Long assignedTo,
            @Parameter(description = "1-based page number") @RequestParam(defaultValue = "1") int page,
            @Parameter(description = "page size, 1 to " + InquiryQuery.MAX_PER_PAGE + " (larger is clamped)")
            @RequestParam(name = "per_page", defaultValue = "" + InquiryQuery.DEFAULT_PER_PAGE) int perPage,
            @Parameter(hidden = true) @AuthenticationPrincipal Actor actor) {
        requireAtLeastOne("page", page);
        requireAtLeastOne("per_page", perPage);
        InquiryQuery query = new InquiryQuery(status, execution, assignedTo, page, perPage);
        InquiryRepository.Page found = inquiries.page(query, actor);
        // the workflows the page's inquiries wait in, in one query for the page: whoever sees an inquiry may read
        // the workflow around it (docs/workflows.md), so naming it shows nothing the row's reader may not see
        Map<Long, InquiryWorkflow> waitingIn = workflows.workflowsOf(
                found.rows().stream().map(InquirySummary::execution).toList());
        return PageResponse.of(found.rows().stream()
                        .map(inquiry -> inquiry.inWorkflow(waitingIn.get(inquiry.execution()))).toList(),
                found.total(), query.page(), query.perPage());
    }

    @GetMapping("/{id}")
    @Operation(summary = "One inquiry in full")
    @ApiResponse(responseCode = "200", description = "the inquiry")
    @ApiResponse(responseCode = "404", description = "no such inquiry, or it is another user's")
    public DataResponse<InquiryView> detail(@PathVariable long id,
                                            @Parameter(hidden = true) @AuthenticationPrincipal Actor actor) {
        // whoever may see it, and the identity that asked for it from outside (POST /api/v1/inquiries)
        return DataResponse.of(withWorkflow(externalRequests.readable(id, actor)));
    }

    @GetMapping("/{id}/history")
    @Operation(summary = "The inquiry's audit trail: created, responded, timeout, cancelled — who, when, what",
            description = "An extension of the contract (docs/api.md); the same visibility as the inquiry.")
    @ApiResponse(responseCode = "200", description = "the entries, oldest first")
    @ApiResponse(responseCode = "404", description = "no such inquiry, or it is another user's")
    public DataResponse<List<AuditEntryView>> history(@PathVariable long id,
                                                      @Parameter(hidden = true) @AuthenticationPrincipal Actor actor) {
        transitions.visible(id, actor);
        return DataResponse.of(audit.history(id));
    }

    @PostMapping("/{id}/respond")
    @Operation(summary = "Answer a pending inquiry; of concurrent answers exactly one wins")
    @ApiResponse(responseCode = "200", description = "the answered inquiry; InquiryResponded is on its way")
    @ApiResponse(responseCode = "400", description = "malformed body, or no \"response\"")
    @ApiResponse(responseCode = "403", description = "the inquiry is assigned to someone else")
    @ApiResponse(responseCode = "404", description = "no such inquiry, or it is another user's")
    @ApiResponse(responseCode = "409", description = "no longer pending, or its timeout has passed")
    @ApiResponse(responseCode = "422", description = "the response fails response_schema; details name each path")
    public DataResponse<InquiryView> respond(@PathVariable long id, @RequestBody RespondRequest body,
                                             @RequestHeader(name = CORRELATION_HEADER, required = false) UUID correlationId,
                                             @Parameter(hidden = true) @AuthenticationPrincipal Actor actor) {
        return DataResponse.of(withWorkflow(transitions.respond(id, actor, body.response(), correlationId)), RESPONDED);
    }

    @PostMapping("/{id}/cancel")
    @Operation(summary = "Cancel a pending inquiry and its execution (admin only)")
    @ApiResponse(responseCode = "200", description = "the cancelled inquiry; InquiryCancelled is on its way")
    @ApiResponse(responseCode = "403", description = "the caller is not an admin")
    @ApiResponse(responseCode = "404", description = "no such inquiry")
    @ApiResponse(responseCode = "409", description = "no longer pending")
    public DataResponse<InquiryView> cancel(@PathVariable long id,
                                            @RequestHeader(name = CORRELATION_HEADER, required = false) UUID correlationId,
                                            @Parameter(hidden = true) @AuthenticationPrincipal Actor actor) {
        return DataResponse.of(withWorkflow(transitions.cancel(id, actor, correlationId)));
    }

    private InquiryView withWorkflow(Inquiry inquiry) {
        return inquiry.toView().inWorkflow(workflows.workflowsOf(List.of(inquiry.execution())).get(inquiry.execution()));
    }

    private static void requireAtLeastOne(String name, int value) {
        if (value < 1) {
            throw new DomainException(ErrorCode.BAD_REQUEST, "invalid parameter: " + name + " must be at least 1",
                    List.of(new ErrorDetail(name, "must be at least 1, not " + value)));
        }
    }
}
